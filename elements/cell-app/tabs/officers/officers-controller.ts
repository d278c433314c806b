/**
 * The officers tab's state: the requests to join and the messages the cell received (read when the cell
 * opens and again on each new one while the element is in the page), and the link of the last invitation
 * made here; admitting, declining, accepting, inviting, revoking an invitation not used yet, and recording a
 * message's sender in the booklet.
 */
import { html, nothing } from "lit";
import {
  type Cell,
  hasRight,
  invitationToText,
  type MemberState,
  type ReceivedContact,
} from "../../../../core/index.js";
import { inviteUrl } from "../../links.js";
import type { OpenCell } from "../../session.js";
import { TabWithBooklet } from "../booklet/tab-with-booklet.js";
import type { TabContext } from "../tab.js";
import { invitationsView } from "./invitations-view.js";
import { type InviteOptions, inviteView } from "./invite-view.js";
import { officersView } from "./officers-view.js";

/** See the module comment. */
export class OfficersController extends TabWithBooklet {
  /** Requests to join and messages, as officers see them. */
  private contacts: ReceivedContact[] = [];
  /** The link of the last invitation made here. */
  private inviteLink: string | undefined;

  protected follow(open: OpenCell): () => void {
    void this.refresh(open);
    return open.cell.on("contact", () => void this.refresh(open));
  }

  protected forget(): void {
    this.contacts = [];
    this.inviteLink = undefined;
  }

  view({ t, lang, cell, access }: TabContext) {
    const pending = cell.members().filter((m) => m.status === "pending");
    const officers = officersView(t, lang, pending, this.requests(cell), {
      admit: (m: MemberState) => this.run(() => cell.admit(m.id)),
      decline: (m: MemberState) => this.run(() => cell.decline(m.id)),
      accept: (c: ReceivedContact) => this.run(() => cell.acceptJoin(c)),
      ...(access.reads("officers")
        ? { record: (c: ReceivedContact) => this.run(() => this.booklet.addContact(cell, c)) }
        : {}),
    });
    const mayInvite = hasRight(cell.state.rules, access.roles, "invite");
    const invite = mayInvite
      ? inviteView(t, this.invitable(cell, access.roles), this.inviteLink, (o) => this.invite(cell, o))
      : nothing;
    const invitations = mayInvite
      ? invitationsView(t, lang, cell.invitations(), (id) => this.run(() => cell.revokeInvite(id)))
      : nothing;
    return html`${officers} ${invite} ${invitations}`;
  }

  /** Reads the contacts again (the cell says when one arrives). */
  private async refresh(open: OpenCell): Promise<void> {
    const contacts = await open.cell.contacts().catch(() => []);
    if (this.current !== open) return;
    this.contacts = contacts;
    this.host.requestUpdate();
  }

  /** Contacts, without the requests to join whose device is now in the cell. */
  private requests(cell: Cell): ReceivedContact[] {
    const signing = new Set([...cell.state.devices.values()].map((d) => d.keys.signing));
    return this.contacts.filter((c) => !c.device || !signing.has(c.device.signing));
  }

  /** The roles an invitation may carry: member, and the others for those who may set roles. */
  private invitable(cell: Cell, roles: ReadonlySet<string>): string[] {
    const others = Object.keys(cell.state.rules.roles).filter((r) => r !== "member");
    return ["member", ...(hasRight(cell.state.rules, roles, "set-role") ? others : [])];
  }

  /** Makes an invitation and shows its link (and QR code). */
  private invite(cell: Cell, options: InviteOptions): void {
    this.run(async () => {
      const invitation = await cell.invite({ ...options, relays: this.session.relays });
      this.inviteLink = inviteUrl(cell.id, invitationToText(invitation));
      this.host.requestUpdate();
    });
  }
}
