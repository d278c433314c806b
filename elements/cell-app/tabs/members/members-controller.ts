/**
 * The members tab's state: the question waiting for a confirmation (a removal, a lost device, leaving), and
 * the cell it draws, followed while the element is in the page (the log's changes, and the writes that move
 * a device's "last seen"). Granting and revoking roles, removing, revoking devices, naming one's own
 * devices and leaving go to the cell (core/cell/cell.ts), which refuses what the rules do not allow.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { type Cell, hasRight } from "../../../../core/index.js";
import type { Run } from "../../actions.js";
import { afterWrites, type TabContext, type TabView } from "../tab.js";
import { type Confirming, type MemberRights, type MemberRow, membersView } from "./members-view.js";

/** See the module comment. */
export class MembersController implements ReactiveController, TabView {
  private confirming: Confirming | undefined;
  /** The cell drawn last, and how to stop following it. */
  private followed: { cell: Cell; stop(): void } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly run: Run,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.followed?.stop();
    this.followed = undefined;
    this.confirming = undefined;
  }

  view({ t, lang, cell }: TabContext) {
    this.follow(cell);
    const me = cell.me();
    const { rules } = cell.state;
    const roles = me?.status === "member" ? me.roles : new Set<string>();
    const rights: MemberRights = {
      grantable: hasRight(rules, roles, "set-role")
        ? Object.keys(rules.roles).filter((r) => r !== "member")
        : [],
      remove: hasRight(rules, roles, "remove"),
    };
    const rows: MemberRow[] = cell.members().map((m) => ({
      id: m.id,
      name: m.name,
      status: m.status,
      roles: [...m.roles].filter((r) => r !== "member").sort(),
      devices: cell.devicesOf(m.id),
      me: m.id === me?.id,
    }));
    return membersView(t, lang, rows, rights, this.confirming, {
      grant: (member, role) => this.run(() => cell.grant(member, role)),
      revoke: (member, role) => this.run(() => cell.revoke(member, role)),
      ask: (what) => {
        this.confirming = what;
        this.host.requestUpdate();
      },
      confirmed: (what) => {
        this.confirming = undefined;
        this.host.requestUpdate();
        this.run(() =>
          what.kind === "leave"
            ? cell.leave()
            : what.kind === "remove"
              ? cell.remove(what.member.id)
              : cell.removeDevice(what.device.id),
        );
      },
      nameDevice: (device, name) => this.run(() => cell.nameDevice(device, name)),
    });
  }

  /** Draws again when the log changes or writes arrive (a device's "last seen"), for the cell shown. */
  private follow(cell: Cell): void {
    if (this.followed?.cell === cell) return;
    this.followed?.stop();
    const update = () => this.host.requestUpdate();
    const offChange = cell.on("change", update);
    const offWrites = afterWrites(cell.kit, update);
    this.followed = {
      cell,
      stop: () => {
        offChange();
        offWrites();
      },
    };
  }
}
