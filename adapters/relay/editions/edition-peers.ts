/**
 * Editions reach peered relays: when a relay stores a newer edition it PUTs it to the HTTP side of each
 * `--peer`. A peer that already holds it (or a newer one) stores nothing and forwards nothing, so the
 * copies stop after one round. A peer that is down misses that edition and gets the next one (members'
 * devices also PUT every edition to every relay of the cell).
 */
import { describeError, type RelayLogger } from "../log.js";

/** The HTTP base of a peer's WebSocket URL (`ws://h:p/ws` → `http://h:p`). */
export function peerHttpBase(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  url.pathname = url.pathname.replace(/\/ws$/, "");
  return url.href.replace(/\/$/, "");
}

/** A function that copies a stored edition to every peer, in the background. */
export function editionForwarder(peerWsUrls: readonly string[], log: RelayLogger) {
  const bases = peerWsUrls.map(peerHttpBase);
  return (cell: string, bytes: Uint8Array): void => {
    for (const base of bases) {
      fetch(`${base}/c/${cell}/edition`, {
        method: "PUT",
        body: bytes as Uint8Array<ArrayBuffer>,
        headers: { "Content-Type": "application/json" },
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          if (!res.ok && res.status !== 409) log.warn(`peer ${base} refused an edition: ${res.status}`);
        })
        .catch((e: unknown) => log.debug(`edition not copied to ${base}: ${describeError(e)}`));
    }
  };
}
