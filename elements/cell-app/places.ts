/**
 * This device's cells in the member space. A Kit holds one cell (so that one key never links two cells),
 * so each cell has a place of its own: a pair of IndexedDB databases (`<name>` for documents, `<name>-keys`
 * for keys). The first place is named by the prefix itself (what a device had before there were several);
 * each further one gets `<prefix>-<random>`. The list, with each cell's ID and name for the switcher, and
 * which place is in use, are kept in `localStorage` under `<prefix>:places`: names and IDs only, which the
 * databases beside it hold anyway.
 */

/** One of this device's cells. */
export interface Place {
  /** The place's database name. */
  database: string;
  cell: string;
  /** The cell's name when it was last open (for the switcher). */
  name: string;
}

interface Index {
  current: string;
  places: Place[];
}

/** See the module comment. */
export class Places {
  constructor(
    private readonly prefix: string,
    private readonly store: Storage = localStorage,
  ) {}

  /** The places that hold a cell, in the order they were added. */
  list(): Place[] {
    return this.read().places;
  }

  /** The database name of the place in use. */
  current(): string {
    return this.read().current;
  }

  /** The place that holds `cell`, if any. */
  of(cell: string): Place | undefined {
    return this.list().find((p) => p.cell === cell);
  }

  /** Whether the place in use holds a cell already. */
  currentHoldsCell(): boolean {
    const { current, places } = this.read();
    return places.some((p) => p.database === current);
  }

  /** Uses the place of `database` from now on. */
  use(database: string): void {
    this.write({ ...this.read(), current: database });
  }

  /** Uses a new, empty place from now on (to join or found another cell); returns its database name. */
  fresh(): string {
    const suffix = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
      b.toString(16).padStart(2, "0"),
    );
    const database = `${this.prefix}-${suffix.join("")}`;
    this.use(database);
    return database;
  }

  /** Records that the place of `database` holds `cell`, now named `name` (`""`: not known yet). */
  remember(database: string, cell: string, name: string): void {
    const index = this.read();
    const at = index.places.findIndex((p) => p.database === database);
    // A name not known yet ("") keeps the one recorded, if any (a cell asked, then opened before its welcome).
    const place = { database, cell, name: name || (index.places[at]?.name ?? "") };
    const places = at === -1 ? [...index.places, place] : index.places.map((p, i) => (i === at ? place : p));
    this.write({ ...index, places });
  }

  /** Forgets every place (their databases are erased separately). */
  clear(): void {
    this.store.removeItem(`${this.prefix}:places`);
  }

  private read(): Index {
    const fallback: Index = { current: this.prefix, places: [] };
    try {
      const value = JSON.parse(this.store.getItem(`${this.prefix}:places`) ?? "null") as Index | null;
      const valid =
        value &&
        typeof value.current === "string" &&
        Array.isArray(value.places) &&
        value.places.every(
          (p) => typeof p?.database === "string" && typeof p.cell === "string" && typeof p.name === "string",
        );
      return valid ? value : fallback;
    } catch {
      // A damaged index: the first place, which a device always has, is still found.
      return fallback;
    }
  }

  private write(index: Index): void {
    this.store.setItem(`${this.prefix}:places`, JSON.stringify(index));
  }
}
