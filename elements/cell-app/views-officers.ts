/**
 * What the secretary and the treasurer see in the member space: the membership booklet (search as you
 * type, add a person, CSV export and import with a preview) and the treasury (record a stamp, who is up
 * to date this period). Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type {
  ImportPreview,
  Person,
  PersonDues,
  PersonInput,
  RulesEntry,
  StampInput,
} from "../../core/index.js";
import type { AppStrings } from "./strings.js";

const field = (form: HTMLFormElement, name: string) =>
  (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
const today = () => new Date().toISOString().slice(0, 10);

/** What the booklet view can do. */
export interface BookletActions {
  search(text: string): void;
  add(person: PersonInput): void;
  exportCsv(): void;
  preview(file: File): void;
  applyImport(): void;
}

/** The booklet: a search box, the people found, a form to add someone, CSV in and out. */
export function bookletView(
  t: AppStrings,
  people: Person[],
  preview: ImportPreview | undefined,
  holder: string,
  act: BookletActions,
): TemplateResult {
  const onAdd = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const kind = field(form, "kind") as PersonInput["kind"];
    act.add({
      kind,
      name: field(form, "name"),
      reach: field(form, "reach"),
      place: field(form, "place"),
      ...(kind === "contact" ? {} : { joined: today() }),
      ...(kind === "held" ? { holder } : {}),
      consent: (form.elements.namedItem("consent") as HTMLInputElement).checked
        ? { on: today(), how: "oral" }
        : null,
    });
    form.reset();
  };
  return html`<label>${t.search}
      <input type="search" @input=${(e: InputEvent) => act.search((e.target as HTMLInputElement).value)} />
    </label>
    <ul class="people" aria-label=${t.people}>
      ${people.map(
        (p) => html`<li>
          <strong>${p.name}</strong> · ${t.kinds[p.kind]}${p.place ? html` · ${p.place}` : nothing}
          ${p.reach ? html`<br />${p.reach}` : nothing}${p.consent ? nothing : html` · <em>${t.noConsent}</em>`}
        </li>`,
      )}
    </ul>
    <details>
      <summary>${t.addPerson}</summary>
      <form @submit=${onAdd}>
        <label>${t.kind}
          <select name="kind">
            ${(["contact", "member", "held"] as const).map((k) => html`<option value=${k}>${t.kinds[k]}</option>`)}
          </select>
        </label>
        <label>${t.personName} <input name="name" required maxlength="200" /></label>
        <label>${t.personReach} <input name="reach" maxlength="300" /></label>
        <label>${t.place} <input name="place" maxlength="200" /></label>
        <label class="check"><input type="checkbox" name="consent" /> ${t.consentGiven}</label>
        <button type="submit">${t.add}</button>
      </form>
    </details>
    <p>
      <button @click=${() => act.exportCsv()}>${t.exportCsv}</button>
      <label>${t.importCsv}
        <input type="file" accept=".csv,text/csv" @change=${(e: Event) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) act.preview(file);
        }} />
      </label>
    </p>
    ${preview ? importPreview(t, preview, act) : nothing}`;
}

function importPreview(t: AppStrings, preview: ImportPreview, act: BookletActions): TemplateResult {
  const wrong = preview.rows.filter((r) => r.errors.length > 0);
  return html`<section aria-labelledby="import-title">
    <h3 id="import-title">${t.importPreview(preview.rows.length)}</h3>
    ${preview.fileErrors.map((e) => html`<p role="alert">${e}</p>`)}
    ${
      wrong.length > 0
        ? html`<ul role="alert">
            ${wrong.map((r) => html`<li>${t.line(r.line)} : ${r.errors.map((e) => e.message).join(" ; ")}</li>`)}
          </ul>`
        : nothing
    }
    <button ?disabled=${!preview.ok} @click=${() => act.applyImport()}>${t.applyImport}</button>
  </section>`;
}

/** The treasury: the rules in force, a form to record a stamp, and who is up to date this period. */
export function treasuryView(
  t: AppStrings,
  rules: RulesEntry | undefined,
  period: string,
  people: { id: string; name: string }[],
  dues: PersonDues[],
  record: (stamp: StampInput) => void,
): TemplateResult {
  if (!rules) return html`<p>${t.noRules}</p>`;
  const euros = (cents: number) => `${(cents / 100).toFixed(2)} ${rules.currency}`;
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    record({
      person: field(form, "person"),
      period: field(form, "period"),
      amount: Math.round(Number(field(form, "amount").replace(",", ".")) * 100),
      method: field(form, "method") as StampInput["method"],
    });
  };
  const name = new Map(people.map((p) => [p.id, p.name]));
  return html`<p>${t.rulesInForce(rules.period, rules.brackets.map((b) => `${b.label} ${euros(b.amount)}`).join(" · "))}</p>
    <form @submit=${onSubmit}>
      <label>${t.person}
        <select name="person" required>
          ${people.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
        </select>
      </label>
      <label>${t.period} <input name="period" required value=${period} /></label>
      <label>${t.amount} <input name="amount" required inputmode="decimal" pattern="[0-9]+([.,][0-9]{1,2})?" value=${(rules.brackets[0]?.amount ?? 0) / 100} /></label>
      <label>${t.method}
        <select name="method">
          ${(["cash", "transfer", "other"] as const).map((m) => html`<option value=${m}>${t.methods[m]}</option>`)}
        </select>
      </label>
      <button type="submit">${t.recordStamp}</button>
    </form>
    <h3>${t.duesOf(period)}</h3>
    <ul class="dues">
      ${dues.map(
        (d) =>
          html`<li>${name.get(d.person) ?? d.person} : ${
            d.status === "up-to-date"
              ? t.upToDate
              : d.status === "behind"
                ? t.behind(euros(d.due - d.paid))
                : t.noRules
          }</li>`,
      )}
    </ul>`;
}
