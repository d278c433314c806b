/** Helpers for tests: devices (Kits over memory storage), forged envelopes, waiting for convergence. */
import * as A from "@automerge/automerge";
import {
  createKit,
  crypto,
  DeviceIdentity,
  type DocId,
  EnvelopeKind,
  type Kit,
  type KitOptions,
  type ScopeEpoch,
  sealEnvelope,
  WriterSets,
} from "../../core/index.js";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";

/** A fresh device identity that is not stored anywhere. */
export async function looseIdentity(): Promise<DeviceIdentity> {
  return DeviceIdentity.fromKeys({
    signing: await crypto.generateSigningKeyPair(),
    agreement: await crypto.generateAgreementKeyPair(),
  });
}

/** A Kit over memory storage, with the given authority and transports. */
export function memoryKit(options: Partial<KitOptions> = {}): Promise<Kit> {
  return createKit({ storage: memoryStorage(), keystore: memoryKeystore(), ...options });
}

/** Several Kits sharing one `WriterSets` that lets all of them write `scope`. */
export async function writersOf(scope: string, count: number, options: Partial<KitOptions> = {}) {
  const authority = new WriterSets();
  const kits: Kit[] = [];
  for (let i = 0; i < count; i++) kits.push(await memoryKit({ authority, ...options }));
  authority.allowScope(
    scope,
    kits.map((k) => k.device.id),
  );
  return { authority, kits };
}

/** Automerge changes authored under an arbitrary actor, for forgeries. */
export function changesAs(actor: string, fn: (d: Record<string, unknown>) => void): Uint8Array[] {
  const doc = A.change(A.init<Record<string, unknown>>({ actor }), fn);
  return [A.getLastLocalChange(doc)!];
}

/** An envelope of `changes` signed by `author` under `scope`. */
export function envelopeOf(
  author: DeviceIdentity,
  scope: ScopeEpoch,
  docId: DocId,
  changes: Uint8Array[],
  session: Uint8Array = new Uint8Array(16),
): Promise<Uint8Array> {
  return sealEnvelope(author, scope, { kind: EnvelopeKind.changes, docId, session, items: changes });
}

/** Polls `check` until it is true or `timeoutMs` passes (then throws with `what`). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
