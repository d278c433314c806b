/**
 * A relay that drops, delays, reorders, duplicates, replays, garbles and injects envelopes, and swallows
 * puts, next to one honest relay: it cannot add a member, change a role, or make the devices disagree once
 * they hold the same ops. Three seeds; each prints its seed if it fails.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { silentLogger, startRelay } from "../../adapters/relay/index.js";
import { type Cell, ForbiddenError, type Kit, type MemberId, type ScopeId } from "../../core/index.js";
import {
  EnvelopeKind,
  governance,
  type ScopeEpoch,
  sealEnvelope,
  sealedEpoch,
} from "../../core/internals.js";
import { FrameType } from "../../core/protocol/relay.js";
import { encodePut } from "../../core/protocol/relay-frames.js";
import { admittedCell, membership, relayDevice } from "../support/cells.js";
import { looseIdentity, until } from "../support/devices.js";
import { misbehavingRelay } from "../support/misbehaving-relay.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

async function relay() {
  const dataDir = await mkdtemp(join(tmpdir(), "cellule-hostile-"));
  const r = await startRelay({ dataDir, log: silentLogger });
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  cleanup.push(() => r.close());
  return r;
}

/** Everything the log resolved to that two devices must agree on. */
const summary = (cell: Cell) =>
  JSON.stringify({
    members: membership(cell),
    devices: [...cell.state.devices.values()].map((d) => [d.id, d.removed]).sort(),
    scopes: [...cell.state.scopes].map(([s, e]) => [s, e.map((x) => [x.epoch, x.op])]).sort(),
    refused: cell
      .refused()
      .map((r) => r.op.hash)
      .sort(),
  });

describe("a misbehaving relay", () => {
  for (const seed of [1, 7, 42]) {
    it(`cannot add a member, change a role or split the devices (seed ${seed})`, async () => {
      const honest = await relay();
      const upstream = await relay();
      const hostile = await misbehavingRelay(upstream.wsUrl, {
        seed,
        drop: 0.2,
        duplicate: 0.2,
        replay: 0.2,
        garble: 0.1,
        swallow: 0.2,
        maxDelayMs: 80,
      });
      cleanup.push(() => hostile.close());
      const urls = [honest.url, hostile.url];
      const kits: Kit[] = [];
      for (let i = 0; i < 4; i++) {
        const kit = await relayDevice(urls);
        cleanup.push(() => kit.close(0));
        kits.push(kit);
      }
      const [f, a, b, c] = kits as [Kit, Kit, Kit, Kit];
      const { cell, cells } = await admittedCell(f, "Fatima", [
        { kit: a, name: "Ali" },
        { kit: b, name: "Béatrice", role: "treasurer" },
        { kit: c, name: "Claude" },
      ]);
      const [ali, bea, claude] = cells as [Cell, Cell, Cell];
      const all = [cell, ali, bea];

      // Ordinary activity: a shared document edited by three, a role granted, a member removed (rotation).
      const agenda = await ali.create<{ items: string[] }>("members", { items: ["Tract"] });
      await until(() => b.documents(bea.scopeId("members")).includes(agenda.id), "B to get the agenda");
      (await bea.open<{ items: string[] }>(agenda.id)).change((d) => {
        d.items.push("Affiche");
      });
      await until(() => f.documents(cell.scopeId("members")).includes(agenda.id), "F to get the agenda");
      (await cell.open<{ items: string[] }>(agenda.id)).change((d) => {
        d.items.push("Banderole");
      });
      await cell.grant(bea.me()!.id, "editor");
      await cell.remove(claude.me()!.id);

      // Injections: an op Ali's tampered app signs (she grants herself the secretary role), delivered by the
      // hostile relay to one client only; ops from a stranger, sealed under a key that is not the cell's.
      const members = a.epochOf(ali.scopeId("members")) as ScopeEpoch;
      const grab = await governance.signOp(a.device, cell.id, ali.heads, {
        type: "set-role",
        member: ali.me()!.id as MemberId,
        role: "secretary",
        granted: true,
      });
      const grabEnvelope = await sealEnvelope(a.device, members, {
        kind: EnvelopeKind.governance,
        docId: cell.id as never,
        session: new Uint8Array(16),
        items: [grab.bytes],
      });
      hostile.inject(grabEnvelope, (_, i) => i === 2);
      const stranger = await looseIdentity();
      const strangerOp = await governance.signOp(stranger, cell.id, cell.heads, {
        type: "admit",
        member: stranger.id as unknown as MemberId,
      });
      // The members topic (a relay sees it in every header) with another key: no device can open it.
      const wrongKey = {
        ...members,
        key: (await sealedEpoch("nulle-part" as ScopeId, 1, new Uint8Array(32))).key,
      };
      hostile.inject(
        await sealEnvelope(stranger, wrongKey, {
          kind: EnvelopeKind.governance,
          docId: cell.id as never,
          session: new Uint8Array(16),
          items: [strangerOp.bytes],
        }),
        () => true,
      );

      // Then the honest relay gives the grab to everyone: the devices end up holding the same ops.
      // (Waiting for the PUT's answer, not for the first frame: that is the relay's HELLO.)
      const ws = new WebSocket(honest.wsUrl);
      const answered = new Promise<void>((ok) =>
        ws.on("message", (data: Buffer) => {
          if (data[0] === FrameType.ack || data[0] === FrameType.error) ok();
        }),
      );
      await new Promise((ok) => ws.once("open", ok));
      ws.send(encodePut(1, grabEnvelope));
      await answered;
      ws.close();

      try {
        // The grab included: the put is acknowledged before the relay has delivered it to anyone.
        await until(
          () =>
            all.every(
              (x) => x.heads.join() === cell.heads.join() && x.refused().some((r) => r.op.hash === grab.hash),
            ),
          "the three remaining devices to hold the same ops, the grab included",
          30_000,
        );
        for (const x of all) {
          expect(summary(x)).toBe(summary(cell));
          expect(x.members().filter((m) => m.status === "member")).toHaveLength(3);
          expect(
            x
              .members()
              .find((m) => m.name === "Ali")!
              .roles.has("secretary"),
          ).toBe(false);
          expect(x.members().some((m) => m.id === (stranger.id as unknown as MemberId))).toBe(false);
          const refusal = x.refused().find((r) => r.op.hash === grab.hash);
          expect(refusal?.error).toBeInstanceOf(ForbiddenError);
        }
        await until(async () => {
          const now = await Promise.all(
            all.map(async (x) => JSON.stringify((await x.open(agenda.id)).value())),
          );
          return new Set(now).size === 1;
        }, "the agenda to converge");
        const value = (await cell.open<{ items: string[] }>(agenda.id)).value();
        expect(value.items).toEqual(expect.arrayContaining(["Tract", "Affiche", "Banderole"]));
        expect(hostile.counts.delivered).toBeGreaterThan(0);
      } catch (error) {
        throw new Error(
          `seed ${seed}, relay did ${JSON.stringify(hostile.counts)}: ${(error as Error).message}`,
        );
      }
    }, 60_000);
  }
});
