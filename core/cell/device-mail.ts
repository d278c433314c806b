/**
 * A device's mailbox in a cell: where an officer sends the invitation that answers a device's request to
 * join (a sealed box, see crypto/sealed-box.ts, labelled `device-mail` and sealed to the device's agreement key).
 */
import { toHex, utf8 } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import type { Topic } from "../base/ids.js";
import { sealBox } from "../crypto/sealed-box.js";
import { sha256 } from "../crypto/suite.js";
import type { Invitation } from "../governance/actions.js";

/** The sealed boxes' label. */
export const DEVICE_MAIL = "device-mail";

/** The mailbox topic of one device in one cell (hex): where an officer sends its invitation. */
export async function deviceMailTopic(cell: string, signingKey: string): Promise<Topic> {
  return toHex(await sha256(utf8(`cellule/v1/device-mail\n${cell}\n${signingKey}`))) as Topic;
}

/** Seals an invitation to a device that asked to join (its agreement key, base64url). */
export async function sealInvitation(
  cell: string,
  device: { signing: string; agreement: string },
  invitation: Invitation,
): Promise<Uint8Array> {
  const topic = await deviceMailTopic(cell, device.signing);
  return sealBox({ label: DEVICE_MAIL, topic, bound: cell, index: 0 }, device.agreement, {
    v: 1,
    invitation,
  });
}

/** Checks that a received contact is a request to join, and returns its device keys. */
export function joiningDevice(contact: { device?: { signing: string; agreement: string } }) {
  if (!contact.device) throw new InvalidArgumentError("this contact request does not ask to join");
  return contact.device;
}
