/**
 * A member's recovery mailbox: where the member's devices keep the log for the recovery device their
 * phrase gives, and how a recovery reads it back.
 *
 * The mailbox is a sealed scope keyed by a secret derived from the phrase (crypto/recovery-phrase.ts):
 * the device that made the phrase hands it to the member's other devices (sealed boxes, see devices.ts),
 * never to anyone else, so a removed member, or anyone else who saw the log, cannot read it. With the
 * secret comes a certificate, a signature by the recovery device (whose private key only the phrase
 * gives) over the cell's ID and the secret's hash: the member's devices post it with the log, and a
 * recovery takes only the genesis it names, so nobody can plant another cell there.
 *
 * Reading it back: ops count only from envelopes signed by devices of the recovery device's member in
 * the log they make; the log is taken once the recovery device is active in it (then a short quiet period
 * lets the rest of a burst arrive). Everything newer arrives afterwards through the cell's own scopes.
 * Phrases made before this mailbox have one keyed by a public key (`legacyRecoveryMailbox`), which no
 * device posts to any more: a recovery reads what it kept only when the phrase's own mailbox stays empty,
 * and only if exactly one cell there certifies the recovery device.
 */
import { fromBase64, fromUtf8, toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, NotAMemberError } from "../base/errors.js";
import type { CellId, DeviceId, ScopeId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { legacyRecoveryMailbox, recoveryMailbox } from "../crypto/recovery-phrase.js";
import { importVerifyKey, sha256, verify } from "../crypto/suite.js";
import { GovernanceLog } from "../governance/log.js";
import { readOps } from "../governance/ops.js";
import type { OpHash, SignedOp } from "../governance/types.js";
import type { Kit } from "../kit/kit.js";

const QUIET_MS = 300;
/** How long a recovery waits for the phrase's own mailbox before it reads a legacy one. */
const LEGACY_WAIT_MS = 3_000;
const CERT = "mailbox-cert";

/** A recovery mailbox as a member's device holds it. */
export interface MailboxKey {
  recovery: DeviceId;
  secret: Uint8Array;
  /** The recovery device's signature over the cell and the secret (see `certifiedBytes`). */
  cert: Uint8Array;
  scope: ScopeId;
}

async function certifiedBytes(cell: string, recovery: DeviceId, secret: Uint8Array): Promise<Uint8Array> {
  return utf8(`cellule/v1/recovery-mailbox\n${cell}\n${recovery}\n${toHex(await sha256(secret))}`);
}

/** The mailbox key of a recovery device (its private keys, from the phrase, sign the certificate). */
export async function mailboxKey(
  cell: string,
  recovery: Pick<DeviceIdentity, "id" | "sign">,
  secret: Uint8Array,
): Promise<MailboxKey> {
  const cert = await recovery.sign(await certifiedBytes(cell, recovery.id, secret));
  return { recovery: recovery.id, secret, cert, scope: (await recoveryMailbox(secret)).scope };
}

/** Whether `cert` is the recovery device's (signing key base64url or raw) over this cell and secret. */
export async function checkMailboxCert(
  cell: string,
  recovery: DeviceId,
  signing: string | Uint8Array,
  secret: Uint8Array,
  cert: Uint8Array,
): Promise<boolean> {
  const key = await importVerifyKey(typeof signing === "string" ? fromBase64(signing) : signing);
  return verify(key, cert, await certifiedBytes(cell, recovery, secret));
}

/** The item that carries the certificate among the ops posted to a mailbox. */
export function certItem(cell: string, key: MailboxKey): Uint8Array {
  return utf8(JSON.stringify({ t: CERT, cell, cert: toBase64Url(key.cert) }));
}

function readCert(item: Uint8Array): { cell: string; cert: Uint8Array } | undefined {
  const prefix = `{"t":"${CERT}"`;
  if (item[0] !== 0x7b || fromUtf8(item.subarray(0, prefix.length)) !== prefix) return undefined;
  try {
    const value = JSON.parse(fromUtf8(item));
    if (typeof value.cell === "string" && typeof value.cert === "string")
      return { cell: value.cell, cert: fromBase64(value.cert) };
  } catch {}
  throw new IntegrityError("a malformed mailbox certificate");
}

interface Posted {
  author: DeviceId;
  ops: SignedOp[];
}

/**
 * The log rooted at `genesis` made of the ops posted by devices of the recovery device's member (in that
 * very log), if the recovery device is active in it.
 */
function logFor(posted: readonly Posted[], genesis: OpHash, recovery: DeviceId): SignedOp[] | undefined {
  const all = posted.flatMap((p) => p.ops);
  const root = all.find((op) => op.hash === genesis && op.body.op.type === "genesis");
  if (!root) return undefined;
  let allowed: ((author: DeviceId) => boolean) | undefined;
  for (let round = 0; round < 4; round++) {
    const log = GovernanceLog.fromGenesis(root);
    const ops = posted.filter((p) => !allowed || allowed(p.author)).flatMap((p) => p.ops);
    for (const op of ops) if (op !== root && op.body.cell === genesis) log.add(op);
    const state = log.state();
    const member = state.devices.get(recovery)?.member;
    if (!member) return undefined;
    const mine = (author: DeviceId) => state.devices.get(author)?.member === member;
    if (allowed && posted.every((p) => mine(p.author) === allowed!(p.author))) {
      const d = state.devices.get(recovery);
      return log.waiting === 0 && d && !d.removed ? [root, ...ops.filter((op) => op !== root)] : undefined;
    }
    allowed = mine;
  }
  return undefined;
}

/**
 * The ops of a recovery device's mailbox (`secret` from the phrase); `NotAMemberError` when none certify
 * it within `timeoutMs`, `IntegrityError` when only a legacy mailbox answers and two cells there claim it.
 */
export async function fetchMailbox(
  kit: Kit,
  recovery: DeviceIdentity,
  secret: Uint8Array,
  timeoutMs: number,
): Promise<SignedOp[]> {
  const mailbox = await recoveryMailbox(secret);
  const legacy = await legacyRecoveryMailbox(toBase64Url(recovery.agreementPublicKey));
  const posted: Posted[] = [];
  const legacyPosted: Posted[] = [];
  const certified = new Set<CellId>();
  let legacyAllowed = false;
  return new Promise<SignedOp[]>((resolve, reject) => {
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const offs: (() => void)[] = [];
    const finish = () => {
      clearTimeout(quiet);
      clearTimeout(timer);
      clearTimeout(legacyTimer);
      for (const off of offs) off();
    };
    const found = (): SignedOp[] | undefined => {
      for (const cell of certified) {
        const ops = logFor(posted, cell as string as OpHash, recovery.id);
        if (ops) return ops;
      }
      if (certified.size > 0 || !legacyAllowed) return undefined;
      const geneses = new Set(
        legacyPosted.flatMap((p) => p.ops.filter((op) => op.body.op.type === "genesis").map((op) => op.hash)),
      );
      const logs = [...geneses].flatMap((g) => logFor(legacyPosted, g, recovery.id) ?? []);
      const roots = new Set(logs.filter((op) => op.body.op.type === "genesis").map((op) => op.hash));
      if (roots.size > 1) {
        finish();
        reject(new IntegrityError("two cells claim this recovery phrase in its old mailbox: none is taken"));
        return undefined;
      }
      return roots.size === 1 ? logs : undefined;
    };
    const settle = () => {
      clearTimeout(quiet);
      if (!found()) return;
      quiet = setTimeout(() => {
        const ops = found();
        if (!ops) return;
        finish();
        resolve(ops);
      }, QUIET_MS);
    };
    offs.push(
      kit.onGovernance(mailbox.scope, async (opened) => {
        const ops: Uint8Array[] = [];
        for (const item of opened.body.items) {
          const cert = readCert(item);
          if (!cert) ops.push(item);
          else if (
            await checkMailboxCert(cert.cell, recovery.id, recovery.signingPublicKey, secret, cert.cert)
          )
            certified.add(cert.cell as CellId);
          else throw new IntegrityError("a mailbox certificate the recovery device did not sign");
        }
        posted.push({ author: opened.body.authorId, ops: await readOps(ops) });
        settle();
      }),
      kit.onGovernance(legacy.scope, async (opened) => {
        legacyPosted.push({ author: opened.body.authorId, ops: await readOps(opened.body.items) });
        settle();
      }),
    );
    const timer = setTimeout(() => {
      finish();
      reject(
        new NotAMemberError("no cell on these relays knows this recovery phrase (or none answered in time)"),
      );
    }, timeoutMs);
    const legacyTimer = setTimeout(
      () => {
        legacyAllowed = true;
        settle();
      },
      Math.min(LEGACY_WAIT_MS, timeoutMs / 2),
    );
    Promise.all([
      kit.addScope(mailbox.scope, mailbox.secret),
      kit.addScope(legacy.scope, legacy.secret),
    ]).catch((error) => {
      finish();
      reject(error);
    });
  });
}
