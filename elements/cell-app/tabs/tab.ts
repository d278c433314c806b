/**
 * What the member space's tabs share: what each view is given, who may see what, and two helpers of their
 * controllers (reload after writes, open a document that is still on its way).
 */
import type { TemplateResult } from "lit";
import type { Cell, Kit } from "../../../core/index.js";
import type { AppStrings, Lang } from "../../../core/public/strings/index.js";

/** What this device's member may see: their roles, whether one is an officer's, the scopes they read. */
export interface Access {
  roles: ReadonlySet<string>;
  officer: boolean;
  reads(scope: string): boolean;
}

/** The member's access in the cell, by the cell's rules. */
export function accessOf(cell: Cell): Access {
  const roles = cell.me()?.roles ?? new Set<string>();
  return {
    roles,
    officer: cell.state.rules.officers.some((r) => roles.has(r)),
    reads: (scope) => (cell.state.rules.scopes[scope]?.readers ?? []).some((r) => roles.has(r)),
  };
}

/** What a tab's view is given each time `<cell-app>` draws it. */
export interface TabContext {
  t: AppStrings;
  lang: Lang;
  /** The member's cell (its documents may not be open yet). */
  cell: Cell;
  access: Access;
}

/** A tab's controller, as `<cell-app>`'s table of tabs calls it. */
export interface TabView {
  view(context: TabContext): TemplateResult;
}

/**
 * Calls `reload` once writes to the Kit (made here or received) pause for `quietMs`; returns how to stop,
 * which also drops a reload not run yet.
 */
export function afterWrites(kit: Kit, reload: () => void, quietMs = 100): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = kit.on("written", () => {
    clearTimeout(timer);
    timer = setTimeout(reload, quietMs);
  });
  return () => {
    off();
    clearTimeout(timer);
  };
}

/**
 * Opens a document that may take a moment to reach a new officer's device: tries again, waiting twice as
 * long each time, for about 20 s; `undefined` if it never opened.
 */
export async function openPatiently<T>(open: () => Promise<T>): Promise<T | undefined> {
  for (let delay = 200; delay < 20_000; delay *= 2) {
    try {
      return await open();
    } catch {
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  return undefined;
}
