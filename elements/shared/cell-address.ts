/**
 * Cell addresses a blogger types: one or more URLs `https://relay.example.org/c/<cellId>`, separated by
 * spaces (several relays of the same cell, tried in order). All must name the same cell.
 */

/** A cell and the relays that serve it. */
export interface CellAddress {
  cellId: string;
  /** Relay base URLs, with a trailing slash. */
  relays: string[];
}

const PATH = /^(.*\/)c\/([0-9a-f]{64})\/?$/;

/** Reads a `cell` attribute; `undefined` when it holds no valid address (or addresses of two cells). */
export function parseCellAddress(value: string | null | undefined): CellAddress | undefined {
  const relays: string[] = [];
  let cellId: string | undefined;
  for (const part of (value ?? "").split(/\s+/).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      return undefined;
    }
    const match = PATH.exec(url.pathname);
    if (!match || (url.protocol !== "https:" && url.protocol !== "http:")) return undefined;
    if (cellId !== undefined && cellId !== match[2]) return undefined;
    cellId = match[2]!;
    relays.push(`${url.origin}${match[1]}`);
  }
  return cellId ? { cellId, relays } : undefined;
}
