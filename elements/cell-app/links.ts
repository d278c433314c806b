/**
 * The member space's links: what its URL fragment says, and the links it makes.
 * - `#join=<cellId>`: ask to join the cell; `#join=<cellId>&invite=<invitation text>`: redeem an invitation.
 * - `#link=<code>`: link this device with the code a trusted device shows (what its QR code opens).
 */

/** Parses a `#join` fragment (the cell's ID, and the invitation if there is one). */
export function parseLink(hash: string): { cellId: string; invite?: string } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const cellId = params.get("join") ?? "";
  if (!/^[0-9a-f]{64}$/.test(cellId)) return undefined;
  const invite = params.get("invite") ?? undefined;
  return invite ? { cellId, invite } : { cellId };
}

/** The link code in a `#link` fragment, if any. */
export function linkCodeIn(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("link") ?? "";
}

/** This page, without its fragment. */
const page = (): string => new URL(location.pathname, location.origin).href;

/** This member space with a link code in its fragment: what the QR code beside the code opens. */
export function linkUrl(code: string): string {
  return `${page()}#link=${encodeURIComponent(code)}`;
}

/** This member space with an invitation to the cell in its fragment: what an officer hands out. */
export function inviteUrl(cellId: string, invitation: string): string {
  return `${page()}#join=${cellId}&invite=${encodeURIComponent(invitation)}`;
}
