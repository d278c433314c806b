/**
 * The member space's views as functions of their data: the way in (join form, waiting), the journal
 * (public and members-only posts, a form for editors), the events with answers, and what officers handle
 * (pending members, requests to join, messages). Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type {
  CellEvent,
  JournalPost,
  MemberState,
  ReceivedContact,
  RsvpAnswer,
  RsvpSummary,
} from "../../core/index.js";
import { formatDate, formatRange } from "../shared/dates.js";
import type { Lang } from "../shared/strings.js";
import { field } from "./forms.js";
import type { AppStrings } from "./strings.js";

/** The join form: a name, and for a request without invitation how to reach them and a word. */
export function joinView(
  t: AppStrings,
  cellName: string,
  withInvite: boolean,
  submit: (form: { name: string; reach: string; message: string }) => void,
): TemplateResult {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    submit({
      name: field(form, "name"),
      reach: withInvite ? "" : field(form, "reach"),
      message: withInvite ? "" : field(form, "message"),
    });
  };
  return html`<section aria-labelledby="join-title">
    <h2 id="join-title">${t.joinTitle(cellName)}</h2>
    <p>${t.joinIntro}</p>
    <form @submit=${onSubmit}>
      <label>${t.name} <input name="name" required maxlength="200" autocomplete="name" /></label>
      ${
        withInvite
          ? nothing
          : html`<label>${t.reach} <input name="reach" required maxlength="300" autocomplete="email" /></label>
              <label>${t.message} <textarea name="message" rows="3" maxlength="5000"></textarea></label>`
      }
      <button type="submit">${withInvite ? t.redeem : t.send}</button>
    </form>
  </section>`;
}

/** Posts, newest first, members-only ones marked; editors get a form. */
export function journalView(
  t: AppStrings,
  lang: Lang,
  posts: JournalPost[],
  canWrite: boolean,
  write: (post: { title: string; text: string; members: boolean }) => void,
): TemplateResult {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    write({
      title: field(form, "title"),
      text: field(form, "text"),
      members: (form.elements.namedItem("members") as HTMLInputElement).checked,
    });
    form.reset();
  };
  return html`${
    canWrite
      ? html`<details>
          <summary>${t.write}</summary>
          <form @submit=${onSubmit}>
            <label>${t.postTitle} <input name="title" required maxlength="300" /></label>
            <label>${t.postText} <textarea name="text" rows="5" maxlength="100000"></textarea></label>
            <label class="check"><input type="checkbox" name="members" checked /> ${t.forMembers}</label>
            <button type="submit">${t.publish}</button>
          </form>
        </details>`
      : nothing
  }
    ${
      posts.length === 0
        ? html`<p>${t.noPosts}</p>`
        : html`<ol class="posts">
            ${posts.map(
              (p) => html`<li>
                <article>
                  <h3>${p.title}</h3>
                  <p class="meta">
                    ${p.visibility === "members" ? html`<span class="badge">${t.membersOnly}</span> · ` : nothing}
                    ${p.author} · ${formatDate(p.date, lang)}
                  </p>
                  <p class="text">${p.text}</p>
                </article>
              </li>`,
            )}
          </ol>`
    }`;
}

/** Upcoming events, each with the answer buttons and who comes. */
export function eventsView(
  t: AppStrings,
  lang: Lang,
  events: CellEvent[],
  answers: Map<string, RsvpSummary>,
  mine: (e: CellEvent) => RsvpAnswer | undefined,
  answer: (e: CellEvent, a: RsvpAnswer) => void,
): TemplateResult {
  if (events.length === 0) return html`<p>${t.noEvents}</p>`;
  const labels: [RsvpAnswer, string][] = [
    ["yes", t.yes],
    ["maybe", t.maybe],
    ["no", t.no],
  ];
  return html`<ol class="events">
    ${events.map((e) => {
      const s = answers.get(e.id);
      return html`<li>
        <article aria-labelledby="event-${e.id}">
          <h3 id="event-${e.id}">${e.title}</h3>
          <p class="meta">
            ${e.visibility === "members" ? html`<span class="badge">${t.membersOnly}</span> · ` : nothing}
            ${formatRange(e.start, e.end, lang)}${e.place ? html` · ${e.place}` : nothing}
          </p>
          <p class="text">${e.description}</p>
          <div role="group" aria-label=${e.title}>
            ${labels.map(
              ([a, label]) =>
                html`<button aria-pressed=${mine(e) === a ? "true" : "false"} @click=${() => answer(e, a)}>${label}</button>`,
            )}
          </div>
          ${
            s
              ? html`<p class="meta">${t.counts(s.yes, s.maybe, s.no)} — ${s.who
                  .filter((w) => w.answer === "yes")
                  .map((w) => w.name)
                  .join(", ")}</p>`
              : nothing
          }
        </article>
      </li>`;
    })}
  </ol>`;
}

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
