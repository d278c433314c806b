/**
 * The base of the tabs that also work on the cell's booklet through the member space's one
 * `BookletController` (officers record a message's sender in it; the treasury counts its held members among
 * the payers), so that the booklet is opened and read once, whichever tab asks first.
 */
import type { ReactiveControllerHost } from "lit";
import type { Run } from "../../actions.js";
import type { MemberSession } from "../../session.js";
import { CellTabController } from "../tab.js";
import type { BookletController } from "./booklet-controller.js";

/** See the module comment. */
export abstract class TabWithBooklet extends CellTabController {
  constructor(
    host: ReactiveControllerHost,
    session: MemberSession,
    run: Run,
    /** The booklet tab's controller, shared. */
    protected readonly booklet: BookletController,
  ) {
    super(host, session, run);
  }
}
