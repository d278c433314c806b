/**
 * Invitations as text, for a link or a QR code: `cellule-invite:1:` followed by the invitation as
 * base64url JSON. Whoever holds the text can redeem the invitation (once, if single use): share it with
 * the invitee only.
 */
import { fromBase64, fromUtf8, toBase64Url, utf8 } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import type { CellId } from "../base/ids.js";
import type { Invitation } from "./actions.js";

const PREFIX = "cellule-invite:1:";
const B64 = /^[A-Za-z0-9_-]+$/;

/** The invitation as one line of text. */
export function invitationToText(invitation: Invitation): string {
  return PREFIX + toBase64Url(utf8(JSON.stringify(invitation)));
}

/** Reads an invitation from its text (or checks an object); `InvalidArgumentError` when it is not one. */
export function invitationFrom(input: string | Invitation): Invitation {
  let value: unknown = input;
  if (typeof input === "string") {
    const text = input.trim();
    if (!text.startsWith(PREFIX)) throw new InvalidArgumentError("this is not a Cellule invitation");
    try {
      value = JSON.parse(fromUtf8(fromBase64(text.slice(PREFIX.length))));
    } catch {
      throw new InvalidArgumentError("this invitation is damaged (copy it again, whole)");
    }
  }
  const i = value as Invitation;
  const ok =
    typeof i === "object" &&
    i !== null &&
    typeof i.cell === "string" &&
    /^[0-9a-f]{64}$/.test(i.cell) &&
    [i.key, i.id, i.inbox].every((f) => typeof f === "string" && B64.test(f)) &&
    typeof i.op === "string" &&
    /^[0-9a-f]{64}$/.test(i.op) &&
    Number.isSafeInteger(i.expires) &&
    Array.isArray(i.relays) &&
    i.relays.every((r) => typeof r === "string");
  if (!ok) throw new InvalidArgumentError("this invitation is damaged (copy it again, whole)");
  return { ...i, cell: i.cell as CellId };
}
