/**
 * The booklet tab's state, for the officers who keep it: the booklet, opened on first view (its documents
 * may take a moment to reach a new officer's device), the people found by the search, an import's
 * preview; read again after writes while the element is in the page. A CSV file is read in UTF-8 or
 * Windows-1252, whichever it is (`decodeCsvBytes`).
 */
import { html } from "lit";
import {
  Booklet,
  type Cell,
  decodeCsvBytes,
  type ImportPreview,
  type PeopleFilter,
  type PeopleIndex,
  type Person,
  parseMemberId,
  type ReceivedContact,
} from "../../../../core/index.js";
import type { OpenCell } from "../../session.js";
import { afterWrites, CellTabController, openPatiently, type TabContext } from "../tab.js";
import { bookletView } from "./booklet-view.js";

/** See the module comment. */
export class BookletController extends CellTabController {
  private booklet: Booklet | undefined;
  private opening: Promise<void> | undefined;
  private filter: PeopleFilter = {};
  private people: Person[] = [];
  private everyone: Person[] = [];
  private importing: ImportPreview | undefined;

  protected follow(open: OpenCell): () => void {
    return afterWrites(open.kit, () => void this.reload());
  }

  protected forget(): void {
    // A cell opened again (the element back in the page) has its own booklet.
    this.booklet = undefined;
    this.opening = undefined;
    this.people = [];
    this.everyone = [];
    this.importing = undefined;
  }

  view({ t, cell }: TabContext) {
    const booklet = this.booklet;
    if (!booklet) {
      void this.open(cell);
      return html`<p role="status">${t.starting}</p>`;
    }
    const then = (change: () => Promise<unknown>) => this.run(() => change().then(() => this.reload()));
    // Members who joined with a device and whose record is not in the booklet yet: who may claim one.
    const recorded = new Set(this.everyone.map((p) => p.member).filter(Boolean));
    const claimants = cell.members().filter((m) => m.status === "member" && !recorded.has(m.id));
    return bookletView(t, this.people, this.importing, cell.me()?.id ?? "", claimants, {
      search: (filter) => {
        this.filter = { ...this.filter, ...filter };
        void this.reload();
      },
      add: (person) => then(() => booklet.add(person)),
      update: (id, changes) => then(() => booklet.update(id, changes)),
      remove: (id) => then(() => booklet.remove(id)),
      claim: (id, member) => then(() => booklet.confirmClaim(id, parseMemberId(member))),
      exportCsv: () => this.run(() => this.exportCsv(booklet)),
      preview: (file) => this.run(() => this.preview(booklet, file)),
      applyImport: () => this.run(() => this.applyImport(booklet)),
    });
  }

  /** Opens the booklet (once), then reads it; the treasury opens it too, for its held members. */
  open(cell: Cell): Promise<void> {
    if (this.opening) return this.opening;
    const opening = openPatiently(() => Booklet.open(cell)).then(async (booklet) => {
      if (this.opening !== opening) return;
      this.booklet = booklet;
      await this.reload();
    });
    this.opening = opening;
    return opening;
  }

  /** Everyone in the booklet, read now (`undefined` while it is not open). */
  async index(): Promise<PeopleIndex | undefined> {
    return this.booklet?.index();
  }

  /** Records the sender of a contact message in the booklet, as a contact with the consent of the form. */
  async addContact(cell: Cell, contact: ReceivedContact): Promise<void> {
    const booklet = this.booklet ?? (await Booklet.open(cell));
    await booklet.addFromContact(contact);
    await this.reload();
  }

  /** Reads the booklet again (after a change, a search, an import). */
  private async reload(): Promise<void> {
    const booklet = this.booklet;
    if (!booklet) return;
    const everyone = await booklet.index();
    if (this.booklet !== booklet) return;
    this.everyone = everyone.filter({});
    this.people = everyone.filter(this.filter);
    this.host.requestUpdate();
  }

  private async exportCsv(booklet: Booklet): Promise<void> {
    const csv = await booklet.exportCsv();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    a.download = "carnet.csv";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  /** What importing `file` would do; its bytes read as UTF-8 or Windows-1252 (Excel's French CSV). */
  private async preview(booklet: Booklet, file: File): Promise<void> {
    const text = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    this.importing = await booklet.preview(text);
    this.host.requestUpdate();
  }

  private async applyImport(booklet: Booklet): Promise<void> {
    if (!this.importing) return;
    await booklet.import(this.importing);
    this.importing = undefined;
    await this.reload();
  }
}
