/**
 * `governance-1000`: a cell of 1,000 members with 50 removals, each followed by a rotation of the members
 * scope; time for a new device to rebuild the state from the log (verify every op, resolve). Goal < 500 ms.
 * The log is built once and cached under .bench/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  admit,
  createGenesis,
  createInvite,
  GovernanceLog,
  readOps,
  redeemInvite,
  removeMember,
  type SignedOp,
  writeOp,
} from "../../core/governance/index.js";
import { crypto as c, DeviceIdentity, toBase64Url } from "../../core/internals.js";

const CACHE = join(".bench", "governance-1000-v1.json");
const MEMBERS = 1000;
const REMOVALS = 50;

async function device(): Promise<DeviceIdentity> {
  return DeviceIdentity.fromKeys({
    signing: await c.generateSigningKeyPair(),
    agreement: await c.generateAgreementKeyPair(),
  });
}

/** A lockbox list of the size a rotation for `readers` devices has (entries are opaque to the reducer). */
function lockboxesFor(readers: number) {
  const entries = Array.from({ length: Math.max(8, Math.ceil(readers / 8) * 8) }, () => ({
    tag: toBase64Url(crypto.getRandomValues(new Uint8Array(8))),
    box: toBase64Url(crypto.getRandomValues(new Uint8Array(60))),
  }));
  return { ephemeral: toBase64Url(crypto.getRandomValues(new Uint8Array(65))), entries };
}

async function build(): Promise<Uint8Array[]> {
  const founder = await device();
  const genesis = await createGenesis(founder, "Fédération", "Fondatrice");
  const log = GovernanceLog.fromGenesis(genesis);
  const ops: SignedOp[] = [genesis];
  const add = (op: SignedOp) => {
    log.add(op);
    ops.push(op);
  };
  const members: string[] = [];
  for (let i = 0; i < MEMBERS - 1; i++) {
    const { op, invitation } = await createInvite(founder, log, { expires: Date.now() + 86_400_000 });
    add(op);
    const d = await device();
    add(await redeemInvite(d, invitation, `Membre ${i}`, [op.hash]));
    add(await admit(founder, log, d.id as never));
    members.push(d.id);
  }
  for (let r = 0; r < REMOVALS; r++) {
    add(await removeMember(founder, log, members[r * 7]! as never));
    const epoch = (log.state().scopes.get("members")?.at(-1)?.epoch ?? 0) + 1;
    add(
      await writeOp(founder, log, {
        type: "rotate",
        scope: "members",
        epoch,
        lockboxes: lockboxesFor(MEMBERS - r),
        previous: null,
      }),
    );
  }
  return ops.map((op) => op.bytes);
}

async function dataset(): Promise<Uint8Array[]> {
  if (existsSync(CACHE))
    return (JSON.parse(readFileSync(CACHE, "utf8")) as string[]).map((s) => Buffer.from(s, "base64"));
  const ops = await build();
  mkdirSync(".bench", { recursive: true });
  writeFileSync(CACHE, JSON.stringify(ops.map((b) => Buffer.from(b).toString("base64"))));
  return ops;
}

/** Runs the bench; one JSON-ready object. */
export async function governance1000(): Promise<Record<string, unknown>> {
  const bytes = await dataset();
  const times: number[] = [];
  let members = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const ops = await readOps(bytes);
    const log = GovernanceLog.fromGenesis(ops[0]!);
    for (const op of ops.slice(1)) log.add(op);
    members = [...log.state().members.values()].filter((m) => m.status === "member").length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = Math.round(times[2]!);
  return { bench: "governance-1000", ms, ops: bytes.length, members, goal: "ms < 500", ok: ms < 500 };
}
