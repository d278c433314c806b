/**
 * Cell addresses a blogger types: one or more URLs `https://relay.example.org/c/<cellId>`, separated by
 * spaces (several relays of the same cell, tried in order). All must name the same cell.
 */
import { safeLink } from "../../core/public/links.js";

/** A cell and the relays that serve it. */
export interface CellAddress {
  cellId: string;
  /** Relay base URLs, with a trailing slash. */
  relays: string[];
}

/**
 * A relay's base and the cell ID in a link as the one allow-list gives it back (parsed, normalised): http or
 * https, no user name or password in it, nothing after the cell ID but a slash.
 */
const ADDRESS = /^(https?:\/\/[^/@]+\/(?:.*\/)?)c\/([0-9a-f]{64})\/?$/;

/** Reads a `cell` attribute; `undefined` when it holds no valid address (or addresses of two cells). */
export function parseCellAddress(value: string | null | undefined): CellAddress | undefined {
  const relays: string[] = [];
  let cellId: string | undefined;
  for (const part of (value ?? "").split(/\s+/).filter(Boolean)) {
    const match = ADDRESS.exec(safeLink(part) ?? "");
    if (!match || (cellId !== undefined && cellId !== match[2])) return undefined;
    cellId = match[2]!;
    relays.push(match[1]!);
  }
  return cellId ? { cellId, relays } : undefined;
}
