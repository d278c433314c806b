/**
 * Loads a cell's verified edition for a widget: parses the `cell` address, fetches the edition from its
 * relays in turn, verifies it with WebCrypto (core/public/verify.ts: no Automerge, no WASM) and tells the
 * host element what to show: loading, the edition, no address, relays unreachable, or nothing valid.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { type VerifiedEdition, verifyEdition } from "../../core/public/verify.js";
import { parseCellAddress } from "./cell-address.js";
import { fetchFromRelays, RelayFetchError } from "./relay-fetch.js";

/** What a widget shows. */
export type EditionState =
  | { status: "loading" }
  | { status: "ready"; edition: VerifiedEdition; relay: string }
  | { status: "no-address" | "unreachable" | "invalid" };

/** See the module comment. */
export class EditionController implements ReactiveController {
  state: EditionState = { status: "loading" };
  private address: string | null | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly host: ReactiveControllerHost & { cell: string | null }) {
    host.addController(this);
  }

  hostUpdate(): void {
    if (this.host.cell === this.address) return;
    this.address = this.host.cell;
    void this.load();
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.address = undefined;
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const address = parseCellAddress(this.address);
    if (!address) return this.show({ status: "no-address" });
    this.show({ status: "loading" });
    try {
      const { value, relay } = await fetchFromRelays(address.relays, `c/${address.cellId}/edition.json`, {
        check: (bytes) => verifyEdition(bytes, address.cellId),
        signal: abort.signal,
      });
      if (!abort.signal.aborted) this.show({ status: "ready", edition: value, relay });
    } catch (error) {
      if (abort.signal.aborted) return;
      this.show({
        status: error instanceof RelayFetchError && error.reason === "invalid" ? "invalid" : "unreachable",
      });
    }
  }

  private show(state: EditionState): void {
    this.state = state;
    this.host.requestUpdate();
  }
}
