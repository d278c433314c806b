/**
 * Keeps the cell's public face up from this device while the member space is open and its member may
 * publish: an edition at start when a relay's is out of date, then one after every public change made here
 * or received (debounced). No server of the cell's own is needed: any officer's open app does it. Rights
 * come and go (a role granted, revoked, a removal): the keeper starts and stops with them.
 */
import { type Cell, hasRight, type Publisher, publishEditions, relaySink } from "../../core/index.js";

/** See the module comment. */
export class EditionKeeper {
  private publisher: Publisher | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;

  /** `relays`: where editions go (read at each start). */
  constructor(
    private readonly cell: Cell,
    private readonly relays: () => readonly string[],
  ) {}

  /** Starts or stops publishing by the member's rights now (call it on every change of the cell). */
  update(): void {
    const { cell } = this;
    const may = cell.status === "member" && hasRight(cell.state.rules, cell.me()?.roles ?? [], "publish");
    if (may && !this.publisher && !this.starting && !this.closed) this.starting = this.start();
    if (!may && this.publisher) {
      void this.publisher.close();
      this.publisher = undefined;
    }
  }

  /** Stops publishing (a pending edition is dropped, a running one finishes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    await this.publisher?.close();
  }

  private async start(): Promise<void> {
    const relays = [...this.relays()];
    try {
      const publisher = await publishEditions(this.cell, {
        sink: relaySink(relays),
        servedBy: relays,
        onError: (error) => console.warn("cellule: publishing the cell's edition:", error),
      });
      if (this.closed) await publisher.close();
      else this.publisher = publisher;
    } catch (error) {
      // Keys or documents not on this device yet: the next change of the cell tries again.
      console.warn("cellule: publishing the cell's edition:", error);
    } finally {
      this.starting = undefined;
    }
  }
}
