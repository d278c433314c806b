/**
 * Writing governance ops: each function signs one op by a device, citing the log's current heads, after
 * checking locally that the device may do it (so a refusal is a `ForbiddenError` here, before anything is
 * sent; other devices would refuse the op the same way).
 */
import { fromBase64, randomBytes, toBase64Url } from "../base/bytes.js";
import { ExpiredInviteError, ForbiddenError, InvalidArgumentError } from "../base/errors.js";
import type { CellId, DocId, MemberId } from "../base/ids.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { exportPublicKey, generateSigningKeyPair, sign } from "../crypto/suite.js";
import type { GovernanceLog } from "./log.js";
import { redeemStatement, signOp } from "./ops.js";
import { DEFAULT_RULES, type Role, type Rules } from "./rules.js";
import { authorize } from "./state.js";
import type { Op, SignedOp } from "./types.js";

/** What an invitee needs: the cell, the invitation's private key, and where to find the cell. */
export interface Invitation {
  cell: CellId;
  /** PKCS#8 of the invitation's ECDSA private key, base64url. */
  key: string;
  /** The invitation's public key, base64url (its ID in the log). */
  id: string;
  /** Hash of the invite op (the parent of the redeem). */
  op: string;
  /** Secret of the invitation's inbox scope, base64url. */
  inbox: string;
  expires: number;
  relays: string[];
}

/** A device's public keys as ops carry them. */
export function publicKeys(device: DeviceIdentity) {
  return { signing: toBase64Url(device.signingPublicKey), agreement: toBase64Url(device.agreementPublicKey) };
}

/** The genesis op of a new cell, by its founder's device. */
export function createGenesis(
  founder: DeviceIdentity,
  name: string,
  founderName: string,
  rules: Rules = DEFAULT_RULES,
): Promise<SignedOp> {
  if (!name.trim()) throw new InvalidArgumentError("a cell needs a name");
  return signOp(founder, "", [], {
    type: "genesis",
    name,
    nonce: toBase64Url(randomBytes(16)),
    founder: publicKeys(founder),
    founderName,
    rules,
  });
}

/** Signs `op` by `author` on top of the log's heads, refusing it locally when the log would. */
export async function writeOp(author: DeviceIdentity, log: GovernanceLog, op: Op): Promise<SignedOp> {
  const signed = await signOp(author, log.cellId, log.heads(), op);
  const reason = authorize(log.state(), signed);
  if (reason) throw new ForbiddenError(`refused: ${reason}`, { params: { reason } });
  return signed;
}

/** An invitation to join with a role, valid until `expires` (ms); single use unless said otherwise. */
export async function createInvite(
  author: DeviceIdentity,
  log: GovernanceLog,
  options: { role?: Role; expires: number; single?: boolean; relays?: string[] },
): Promise<{ op: SignedOp; invitation: Invitation }> {
  const pair = await generateSigningKeyPair(true);
  const id = toBase64Url(await exportPublicKey(pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const inbox = toBase64Url(randomBytes(32));
  const op = await writeOp(author, log, {
    type: "invite",
    invite: id,
    role: options.role ?? "member",
    expires: options.expires,
    single: options.single ?? true,
    inbox,
  });
  return {
    op,
    invitation: {
      cell: log.cellId,
      key: toBase64Url(pkcs8),
      id,
      op: op.hash,
      inbox,
      expires: options.expires,
      relays: options.relays ?? [],
    },
  };
}

/**
 * The op by which a new device redeems an invitation (it becomes a pending member). `ExpiredInviteError`
 * when the invitation has expired by this device's clock.
 */
export async function redeemInvite(
  device: DeviceIdentity,
  invitation: Invitation,
  name: string,
  parents: SignedOp["hash"][],
  now = Date.now(),
): Promise<SignedOp> {
  if (now > invitation.expires)
    throw new ExpiredInviteError("this invitation has expired: ask for a new one");
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      "pkcs8",
      fromBase64(invitation.key) as Uint8Array<ArrayBuffer>,
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
  } catch {
    throw new InvalidArgumentError("the invitation's key is damaged");
  }
  const signing = toBase64Url(device.signingPublicKey);
  const proof = await sign(key, redeemStatement(invitation.cell, signing));
  return signOp(
    device,
    invitation.cell,
    parents,
    { type: "redeem", invite: invitation.id, device: publicKeys(device), name, proof: toBase64Url(proof) },
    now,
  );
}

/** Admits a pending member. */
export const admit = (author: DeviceIdentity, log: GovernanceLog, member: MemberId) =>
  writeOp(author, log, { type: "admit", member });
/** Declines a pending member. */
export const decline = (author: DeviceIdentity, log: GovernanceLog, member: MemberId) =>
  writeOp(author, log, { type: "decline", member });
/** Removes a member (or, by themselves, leaves). */
export const removeMember = (author: DeviceIdentity, log: GovernanceLog, member: MemberId) =>
  writeOp(author, log, { type: "remove", member });
/** Grants or revokes a role. */
export const setRole = (
  author: DeviceIdentity,
  log: GovernanceLog,
  member: MemberId,
  role: Role,
  granted: boolean,
) => writeOp(author, log, { type: "set-role", member, role, granted });
/** Sets a document's read scope and write roles (and, with `name`, makes it the cell's document of that name). */
export const setPolicy = (
  author: DeviceIdentity,
  log: GovernanceLog,
  doc: DocId,
  scope: string,
  writers: Role[],
  name?: string,
) => writeOp(author, log, { type: "set-policy", doc, scope, writers, ...(name ? { name } : {}) });
/** Replaces the cell's relay list. */
export const setRelays = (author: DeviceIdentity, log: GovernanceLog, relays: string[]) =>
  writeOp(author, log, { type: "set-relays", relays });
/** Proposes new rules; they take effect once the quorum of officers has approved. */
export const proposeRules = (author: DeviceIdentity, log: GovernanceLog, rules: Rules) =>
  writeOp(author, log, { type: "propose-rules", rules });
/** Approves a rules proposal. */
export const approveRules = (author: DeviceIdentity, log: GovernanceLog, proposal: SignedOp["hash"]) =>
  writeOp(author, log, { type: "approve-rules", proposal });
/** Certifies another device of the author's own member. */
export const addDevice = (
  author: DeviceIdentity,
  log: GovernanceLog,
  member: MemberId,
  device: DeviceIdentity,
) => writeOp(author, log, { type: "add-device", member, device: publicKeys(device) });
/** Withdraws an invitation not used up yet (by whoever may invite). */
export const revokeInvite = (author: DeviceIdentity, log: GovernanceLog, invite: string) =>
  writeOp(author, log, { type: "revoke-invite", invite });
/** Names one of the author's own member's devices. */
export const nameDevice = (author: DeviceIdentity, log: GovernanceLog, device: string, name: string) =>
  writeOp(author, log, { type: "name-device", device, name: name.trim() });
/** Revokes a device. */
export const removeDevice = (author: DeviceIdentity, log: GovernanceLog, device: string) =>
  writeOp(author, log, { type: "remove-device", device });
