/**
 * The cell's invitations, for the officers who may invite: each one's role, how long it lasts, for one
 * person or several, and whether it was used; those still open can be revoked (nobody can join with them
 * after, on any device). Never the invitation's link: it was shown once, to the officer who made it.
 */
import { html, type TemplateResult } from "lit";
import type { InvitationInfo } from "../../../../core/index.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { formatDate } from "../../../shared/dates.js";

/** What an invitation is now, in one word. */
const stateOf = (i: InvitationInfo): keyof AppStrings["invitationState"] =>
  i.revoked ? "revoked" : i.expired ? "expired" : i.used ? "used" : "open";

/** The invitations, newest expiry first, with a revoke button on those that can still be used. */
export function invitationsView(
  t: AppStrings,
  lang: Lang,
  invitations: InvitationInfo[],
  revoke: (id: string) => void,
): TemplateResult {
  return html`<section aria-labelledby="invitations-title">
    <h3 id="invitations-title">${t.invitationsTitle}</h3>
    ${
      invitations.length === 0
        ? html`<p>${t.noInvitations}</p>`
        : html`<ul class="invitations">
            ${invitations.map(
              (i) => html`<li class="invitation" data-state=${stateOf(i)}>
                <strong>${t.roleName(i.role)}</strong> · ${t.invitationUse(i.single)} ·
                ${t.invitationExpires(formatDate(i.expires, lang))} · ${t.invitationState[stateOf(i)]}
                ${i.open ? html`<button @click=${() => revoke(i.id)}>${t.revokeInvite}</button>` : ""}
              </li>`,
            )}
          </ul>`
    }
  </section>`;
}
