/**
 * Inviting someone, for the officers who may: the role, how long the invitation lasts, single use or not;
 * then the link to the member space that redeems it — to copy, or as a QR code to scan at a meeting.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import { field, onSubmit } from "../../forms.js";
import { qrCode } from "../../qr.js";

const DAY_MS = 86_400_000;
/** How long an invitation may last, in days. */
const LIFETIMES = [1, 7, 30] as const;

/** What the invitation view needs. */
export interface InviteOptions {
  role: string;
  expiresInMs: number;
  single: boolean;
}

/** The form, and the link of the last invitation made (if any). */
export function inviteView(
  t: AppStrings,
  roles: readonly string[],
  link: string | undefined,
  invite: (options: InviteOptions) => void,
): TemplateResult {
  const submit = onSubmit((form) =>
    invite({
      role: field(form, "role"),
      expiresInMs: Number(field(form, "days")) * DAY_MS,
      single: (form.elements.namedItem("single") as HTMLInputElement).checked,
    }),
  );
  return html`<section aria-labelledby="invite-title">
    <h3 id="invite-title">${t.inviteTitle}</h3>
    <form @submit=${submit} aria-label=${t.inviteTitle}>
      <label>${t.inviteRole}
        <select name="role">
          ${roles.map((r) => html`<option value=${r}>${t.roleName(r)}</option>`)}
        </select>
      </label>
      <label>${t.inviteLasts}
        <select name="days">
          ${LIFETIMES.map((d) => html`<option value=${d} ?selected=${d === 7}>${t.days(d)}</option>`)}
        </select>
      </label>
      <label class="check"><input type="checkbox" name="single" checked /> ${t.singleUse}</label>
      <button type="submit">${t.makeInvite}</button>
    </form>
    ${
      link
        ? html`<p>${t.inviteLink}</p>
            <p class="link"><a href=${link}>${link}</a></p>
            <p><button @click=${() => void navigator.clipboard?.writeText(link)}>${t.copyLink}</button></p>
            ${qrCode(link, t.inviteQr)}`
        : nothing
    }
  </section>`;
}
