/**
 * What the secretary and the treasurer see in the member space: the membership booklet (search as you
 * type, add a person, CSV export and import with a preview) and the treasury (record a stamp, who is up
 * to date this period, totals with the share remitted to a higher body, journal subscriptions, the dues
 * rules). Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type {
  DuesRules,
  ImportPreview,
  PeriodTotal,
  Person,
  PersonDues,
  PersonInput,
  RulesEntry,
  StampInput,
  Subscription,
  SubscriptionInput,
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

/** What the treasury view shows. */
export interface TreasuryData {
  rules?: RulesEntry;
  period: string;
  payers: { id: string; name: string }[];
  dues: PersonDues[];
  totals: PeriodTotal[];
  subscriptions: Subscription[];
}

/** What the treasury view can do. */
export interface TreasuryActions {
  setRules(rules: DuesRules): void;
  record(stamp: StampInput): void;
  subscribe(subscription: SubscriptionInput): void;
}

const cents = (text: string) => Math.round(Number(text.replace(",", ".")) * 100);

/** "Libellé ; revenu mensuel maximum (vide : sans plafond) ; montant" per line → brackets. */
function brackets(text: string): DuesRules["brackets"] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [label = "", max = "", amount = ""] = line.split(";").map((c) => c.trim());
      return { id: `b${i + 1}`, label, maxMonthlyIncome: max ? cents(max) : null, amount: cents(amount) };
    });
}

/** The dues rules form (shown when none are set, and to change them). */
function rulesForm(t: AppStrings, rules: RulesEntry | undefined, setRules: (rules: DuesRules) => void) {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    setRules({
      period: field(form, "period") as DuesRules["period"],
      currency: field(form, "currency").toUpperCase(),
      brackets: brackets(field(form, "brackets")),
      remittedShare: Number(field(form, "share").replace(",", ".")) / 100,
    });
  };
  const lines = rules?.brackets
    .map(
      (b) =>
        `${b.label} ; ${b.maxMonthlyIncome === null ? "" : b.maxMonthlyIncome / 100} ; ${b.amount / 100}`,
    )
    .join("\n");
  return html`<details ?open=${!rules}>
    <summary>${t.editRules}</summary>
    <form @submit=${onSubmit}>
      <label>${t.period}
        <select name="period">
          ${(["month", "quarter", "year"] as const).map(
            (p) => html`<option value=${p} ?selected=${rules?.period === p}>${t.periods[p]}</option>`,
          )}
        </select>
      </label>
      <label>${t.currency} <input name="currency" required pattern="[A-Za-z]{3}" value=${rules?.currency ?? "EUR"} /></label>
      <label>${t.brackets} <textarea name="brackets" required rows="3">${lines ?? ""}</textarea></label>
      <label>${t.remittedShare} <input name="share" required inputmode="decimal" value=${(rules?.remittedShare ?? 0) * 100} /></label>
      <button type="submit">${t.saveRules}</button>
    </form>
  </details>`;
}

/** The treasury: the rules, a stamp form, who is up to date, totals per period, subscriptions. */
export function treasuryView(t: AppStrings, data: TreasuryData, act: TreasuryActions): TemplateResult {
  const { rules, period, payers, dues } = data;
  if (!rules) return html`<p>${t.noRules}</p>${rulesForm(t, rules, act.setRules)}`;
  const money = (c: number) => `${(c / 100).toFixed(2)} ${rules.currency}`;
  const onStamp = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    act.record({
      person: field(form, "person"),
      period: field(form, "period"),
      amount: cents(field(form, "amount")),
      method: field(form, "method") as StampInput["method"],
    });
  };
  const onSubscription = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    act.subscribe({
      person: field(form, "person"),
      publication: field(form, "publication"),
      from: field(form, "from"),
      to: field(form, "to"),
      paid: cents(field(form, "paid")),
      method: field(form, "method") as SubscriptionInput["method"],
    });
    form.reset();
  };
  const name = new Map(payers.map((p) => [p.id, p.name]));
  const personSelect = html`<label>${t.person}
    <select name="person" required>
      ${payers.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
    </select>
  </label>`;
  const methodSelect = html`<label>${t.method}
    <select name="method">
      ${(["cash", "transfer", "other"] as const).map((m) => html`<option value=${m}>${t.methods[m]}</option>`)}
    </select>
  </label>`;
  return html`<p>${t.rulesInForce(rules.period, rules.brackets.map((b) => `${b.label} ${money(b.amount)}`).join(" · "))}</p>
    ${rulesForm(t, rules, act.setRules)}
    <form @submit=${onStamp} aria-label=${t.recordStamp}>
      ${personSelect}
      <label>${t.period} <input name="period" required value=${period} /></label>
      <label>${t.amount} <input name="amount" required inputmode="decimal" pattern="[0-9]+([.,][0-9]{1,2})?" value=${(rules.brackets[0]?.amount ?? 0) / 100} /></label>
      ${methodSelect}
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
                ? t.behind(money(d.due - d.paid))
                : t.noRules
          }</li>`,
      )}
    </ul>
    <h3>${t.totals}</h3>
    <ul class="totals">
      ${data.totals.map(
        (p) =>
          html`<li>${p.period} : ${t.totalLine(money(p.collected), money(p.remitted), money(p.kept))}</li>`,
      )}
    </ul>
    <h3>${t.subscriptions}</h3>
    <ul class="subscriptions">
      ${data.subscriptions.map((s) => html`<li>${name.get(s.person) ?? s.person} : ${s.publication} (${s.from} → ${s.to})</li>`)}
    </ul>
    <details>
      <summary>${t.addSubscription}</summary>
      <form @submit=${onSubscription}>
        ${personSelect}
        <label>${t.publication} <input name="publication" required maxlength="200" /></label>
        <label>${t.from} <input name="from" type="date" required /></label>
        <label>${t.to} <input name="to" type="date" required /></label>
        <label>${t.paid} <input name="paid" required inputmode="decimal" pattern="[0-9]+([.,][0-9]{1,2})?" /></label>
        ${methodSelect}
        <button type="submit">${t.add}</button>
      </form>
    </details>`;
}
