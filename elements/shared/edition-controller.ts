/**
 * Loads a cell's verified edition for a widget: parses the `cell` address, fetches the edition from its
 * relays in turn, verifies it with WebCrypto (core/public/verify.ts: no Automerge, no WASM) and tells the
 * host element what to show: loading, the edition, no address, relays unreachable, or nothing valid. Every
 * widget of one cell on a page shares one load.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { fetchFromRelays, RelayFetchError } from "../../core/public/relay-http.js";
import { type VerifiedEdition, verifyEdition } from "../../core/public/verify.js";
import { type CellAddress, parseCellAddress } from "./cell-address.js";
import { remember } from "./edition-memory.js";

/** What a widget shows. */
export type EditionState =
  | { status: "loading" }
  | { status: "ready"; value: VerifiedEdition; relay: string }
  | { status: "noAddress" | "unreachable" | "invalid" };

/** Editions being loaded or loaded on this page, by address: widgets of one cell share one fetch and check. */
const editions = new Map<string, Promise<{ value: VerifiedEdition; relay: string }>>();

/**
 * Starts loading the verified edition a `cell` attribute names, unless it is already loading or loaded
 * on this page; `undefined` when the attribute holds no valid address. A failure is logged and forgotten,
 * so that a later widget tries again.
 */
export function loadEdition(cell: string | null | undefined) {
  const address = parseCellAddress(cell);
  if (!address) return undefined;
  // Keyed by the attribute as typed (it names the cell and its relays): the same text, one load.
  const key = cell!;
  let loading = editions.get(key);
  if (!loading) {
    loading = fetchFrom(address, address.relays);
    editions.set(key, loading);
    // What went wrong at each relay goes to the console, for the blogger (a tampered edition, a page on
    // plain http where the browser gives no WebCrypto, a relay down).
    loading.catch((error) => {
      editions.delete(key);
      console.warn("cellule:", error.message);
    });
  }
  return loading;
}

/** The first valid edition, not older than what this page saw (edition-memory.ts), from `relays` in turn. */
const fetchFrom = (address: CellAddress, relays: string[]) =>
  fetchFromRelays(relays, `c/${address.cellId}/edition.json`, {
    check: async (bytes) => remember(await verifyEdition(bytes, address.cellId)),
  });

/**
 * The newest valid edition any of the address's relays serves (longest chain, then latest), asking them
 * all at once: what to seal a visitor's details to, whatever one stale or hostile relay says.
 * `RelayFetchError` when none serves a valid one, or when the newest one's certificate has ended.
 */
export async function newestEdition(address: CellAddress): Promise<VerifiedEdition> {
  const all = await Promise.all(address.relays.map((r) => fetchFrom(address, [r]).catch(() => undefined)));
  let newest: VerifiedEdition | undefined;
  for (const got of all) {
    const e = got?.value;
    const n = newest?.chain.length ?? 0;
    if (e && (e.chain.length > n || (e.chain.length === n && e.at > newest!.at))) newest = e;
  }
  // A certificate that has ended may be a past holder's key: nothing is sealed to it.
  if (!newest || newest.chain[newest.chain.length - 1]!.expires < Date.now())
    throw new RelayFetchError("invalid", []);
  return newest;
}

/** See the module comment. */
export class EditionController implements ReactiveController {
  state: EditionState = { status: "loading" };
  /** The address being shown; the result of a load for another one (or for a disconnected host) is ignored. */
  private address: string | null | undefined;

  constructor(private readonly host: ReactiveControllerHost & { cell: string | null }) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.host.cell === this.address) return;
    this.address = this.host.cell;
    void this.load(this.address);
  }

  hostDisconnected(): void {
    this.address = undefined;
  }

  private async load(address: string | null): Promise<void> {
    const loading = loadEdition(address);
    // While another address loads, what was shown stays (a widget starts as "loading").
    let state: EditionState = { status: "noAddress" };
    if (loading) {
      try {
        state = { status: "ready", ...(await loading) };
      } catch (error) {
        // RelayFetchError's code says which; anything else (a network failure) is "unreachable".
        state = {
          status: (error as { code?: string } | undefined)?.code === "invalid" ? "invalid" : "unreachable",
        };
      }
    }
    if (this.address === address) {
      this.state = state;
      this.host.requestUpdate();
    }
  }
}
