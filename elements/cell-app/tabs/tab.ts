/**
 * What the member space's tabs share: what each view is given, who may see what, and two helpers of their
 * controllers (reload after writes, open a document that is still on its way).
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from "lit";
import type { Cell, Kit } from "../../../core/index.js";
import type { AppStrings, Lang } from "../../../core/public/strings/index.js";
import type { Run } from "../actions.js";
import type { MemberSession, OpenCell } from "../session.js";

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
 * A tab controller that follows the session's open cell while its element is in the page: it subscribes in
 * `hostConnected` and unsubscribes in `hostDisconnected`; `follow` starts what the tab watches when a cell
 * opens and returns how to stop, `forget` drops what it showed when the cell closes (a cell opened again,
 * the element back in the page, has its own documents).
 */
export abstract class CellTabController implements ReactiveController, TabView {
  /** The open cell, while there is one. */
  protected current: OpenCell | undefined;
  private unbind: (() => void) | undefined;

  constructor(
    protected readonly host: ReactiveControllerHost,
    protected readonly session: MemberSession,
    protected readonly run: Run,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unbind = this.session.whileOpen((open) => {
      this.current = open;
      const stop = this.follow(open);
      return () => {
        stop();
        this.current = undefined;
        this.forget();
      };
    });
  }

  hostDisconnected(): void {
    this.unbind?.();
    this.unbind = undefined;
  }

  abstract view(context: TabContext): TemplateResult;
  /** Starts what the tab watches in an open cell; returns how to stop. */
  protected abstract follow(open: OpenCell): () => void;
  /** Forgets what the tab showed, when the cell closes. */
  protected abstract forget(): void;
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
