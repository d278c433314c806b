/**
 * What officers handle in the member space, as a function of it: pending members to admit or decline,
 * requests to join to accept, and messages (whose senders may go into the booklet). Everything shown is
 * text. The invitation form is in `invite-view.ts`.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { MemberState, ReceivedContact } from "../../../../core/index.js";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { formatDate } from "../../../shared/dates.js";

/** Pending members to admit or decline, requests to join to accept, and messages. */
export function officersView(
  t: AppStrings,
  lang: Lang,
  pending: MemberState[],
  contacts: ReceivedContact[],
  act: {
    admit(m: MemberState): void;
    decline(m: MemberState): void;
    accept(c: ReceivedContact): void;
    /** Records a message's sender in the booklet (absent for officers who do not keep it). */
    record?(c: ReceivedContact): void;
  },
): TemplateResult {
  const requests = contacts.filter((c) => c.device);
  const messages = contacts.filter((c) => !c.device);
  return html`<section aria-labelledby="pending-title">
      <h3 id="pending-title">${t.pending}</h3>
      ${
        pending.length + requests.length === 0
          ? html`<p>${t.noPending}</p>`
          : html`<ul class="requests">
              ${pending.map(
                (m) => html`<li>
                  ${m.name}
                  <button @click=${() => act.admit(m)}>${t.admit}</button>
                  <button @click=${() => act.decline(m)}>${t.decline}</button>
                </li>`,
              )}
              ${requests.map(
                (c) => html`<li>
                  ${c.name} (${c.reach}) ${t.wantsToJoin}${c.message ? html` : « ${c.message} »` : nothing}
                  <button @click=${() => act.accept(c)}>${t.admit}</button>
                </li>`,
              )}
            </ul>`
      }
    </section>
    <section aria-labelledby="inbox-title">
      <h3 id="inbox-title">${t.inbox}</h3>
      ${
        messages.length === 0
          ? html`<p>${t.noInbox}</p>`
          : html`<ul class="inbox">
              ${messages.map(
                (c) => html`<li>
                  <strong>${c.name}</strong> (${c.reach}) · ${formatDate(c.at, lang)}
                  <p class="text">${c.message}</p>
                  ${act.record ? html`<button @click=${() => act.record!(c)}>${t.addToBooklet(c.name)}</button>` : nothing}
                </li>`,
              )}
            </ul>`
      }
    </section>`;
}
