/**
 * The treasury in the member space (the seed's "carnet de timbres"): the dues rules, a stamp form, who is up
 * to date this period and over the last periods (who is behind, since when), the latest stamps with their
 * corrections (a correction or a void is a new signed entry; the old one is never rewritten), totals with
 * the share remitted to a higher body, and journal subscriptions. Everything shown is text. Entries are
 * keyed by ID: an open correction form stays with its entry when the list changes under it.
 */
import { html, nothing, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type {
  DuesRules,
  PeriodTotal,
  PersonDues,
  RulesEntry,
  Stamp,
  StampInput,
  Subscription,
  SubscriptionInput,
} from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import { cents, field, onSubmit } from "../../forms.js";

/** What the treasury view shows. */
export interface TreasuryData {
  rules?: RulesEntry;
  period: string;
  payers: { id: string; name: string }[];
  dues: PersonDues[];
  /** The last periods up to `period`, and each payer's dues over them. */
  history: { periods: string[]; dues: PersonDues[] };
  /** The latest current stamps, newest first. */
  stamps: Stamp[];
  totals: PeriodTotal[];
  subscriptions: Subscription[];
}

/** What the treasury view can do. */
export interface TreasuryActions {
  setRules(rules: DuesRules): void;
  record(stamp: StampInput): void;
  subscribe(subscription: SubscriptionInput): void;
  /** A new entry superseding `id`. */
  correct(id: string, entry: StampInput | SubscriptionInput): void;
  /** A void of `id` (amount 0), with the note saying why. */
  cancel(id: string, note: string): void;
}

const AMOUNT = "[0-9]+([.,][0-9]{1,2})?";

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
  const submit = onSubmit((form) =>
    setRules({
      period: field(form, "period") as DuesRules["period"],
      currency: field(form, "currency").toUpperCase(),
      brackets: brackets(field(form, "brackets")),
      remittedShare: Number(field(form, "share").replace(",", ".")) / 100,
    }),
  );
  const lines = rules?.brackets
    .map(
      (b) =>
        `${b.label} ; ${b.maxMonthlyIncome === null ? "" : b.maxMonthlyIncome / 100} ; ${b.amount / 100}`,
    )
    .join("\n");
  return html`<details ?open=${!rules}>
    <summary>${t.editRules}</summary>
    <form @submit=${submit}>
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

function methodSelect(t: AppStrings, selected?: string) {
  return html`<label>${t.method}
    <select name="method">
      ${(["cash", "transfer", "other"] as const).map(
        (m) => html`<option value=${m} ?selected=${m === selected}>${t.methods[m]}</option>`,
      )}
    </select>
  </label>`;
}

/** Each payer over the last periods: paid or not per period, and how much is missing. */
function duesGrid(
  t: AppStrings,
  data: TreasuryData,
  name: Map<string, string>,
  money: (c: number) => string,
) {
  const { periods, dues } = data.history;
  // Wider than a phone: it scrolls, and a keyboard can reach it to scroll it.
  return html`<div class="scroll" tabindex="0" role="region" aria-label=${t.duesHistory(periods.length)}>
    <table class="dues-grid">
    <caption>${t.duesHistory(periods.length)}</caption>
    <thead>
      <tr>
        <th scope="col">${t.person}</th>
        ${periods.map((p) => html`<th scope="col">${p}</th>`)}
        <th scope="col">${t.missing}</th>
      </tr>
    </thead>
    <tbody>
      ${dues.map(
        (d) => html`<tr>
          <th scope="row">${name.get(d.person) ?? d.person}</th>
          ${periods.map((p) =>
            d.unpaid.includes(p)
              ? html`<td class="unpaid"><span aria-hidden="true">✗</span><span class="vh">${t.unpaid}</span></td>`
              : html`<td><span aria-hidden="true">✓</span><span class="vh">${t.paidPeriod}</span></td>`,
          )}
          <td>${d.behind === 0 ? "—" : money(d.due - d.paid)}</td>
        </tr>`,
      )}
    </tbody>
  </table></div>`;
}

/** A stamp in the list: what it says, whether it corrects or voids another, and the forms to do so. */
function stampItem(
  t: AppStrings,
  s: Stamp,
  who: string,
  money: (c: number) => string,
  act: TreasuryActions,
): TemplateResult {
  const correct = onSubmit((form) =>
    act.correct(s.id, {
      person: s.person,
      period: field(form, "period"),
      amount: cents(field(form, "amount")),
      method: field(form, "method") as StampInput["method"],
      ...(s.bracket ? { bracket: s.bracket } : {}),
      ...(field(form, "note").trim() ? { note: field(form, "note").trim() } : {}),
    }),
  );
  const cancel = onSubmit((form) => act.cancel(s.id, field(form, "note")));
  return html`<li>
    <strong>${who}</strong> · ${s.period} · ${money(s.amount)} · ${t.methods[s.method]}
    ${s.void ? html` · <em>${t.voided}</em>` : s.supersedes ? html` · <em>${t.correction}</em>` : nothing}
    ${s.note ? html`<br /><span class="meta">${s.note}</span>` : nothing}
    ${
      s.void
        ? nothing
        : html`<details>
            <summary>${t.correctStamp}</summary>
            <form @submit=${correct} aria-label=${t.correctStamp}>
              <label>${t.period} <input name="period" required value=${s.period} /></label>
              <label>${t.amount} <input name="amount" required inputmode="decimal" pattern=${AMOUNT} value=${s.amount / 100} /></label>
              ${methodSelect(t, s.method)}
              <label>${t.note} <input name="note" maxlength="500" /></label>
              <button type="submit">${t.saveCorrection}</button>
            </form>
            <form @submit=${cancel} aria-label=${t.voidStamp}>
              <label>${t.voidWhy} <input name="note" required maxlength="500" /></label>
              <button type="submit">${t.voidStamp}</button>
            </form>
          </details>`
    }
  </li>`;
}

/** A current subscription, with a form to correct what was paid or until when, or to void it. */
function subscriptionItem(t: AppStrings, s: Subscription, who: string, act: TreasuryActions) {
  const correct = onSubmit((form) =>
    act.correct(s.id, {
      person: s.person,
      publication: s.publication,
      from: s.from,
      to: field(form, "to"),
      paid: cents(field(form, "paid")),
      method: s.method,
      ...(field(form, "note").trim() ? { note: field(form, "note").trim() } : {}),
    }),
  );
  const cancel = onSubmit((form) => act.cancel(s.id, field(form, "note")));
  return html`<li>
    ${who} : ${s.publication} (${s.from} → ${s.to})${s.supersedes ? html` · <em>${t.correction}</em>` : nothing}
    <details>
      <summary>${t.correctSubscription}</summary>
      <form @submit=${correct} aria-label=${t.correctSubscription}>
        <label>${t.to} <input name="to" type="date" required value=${s.to} /></label>
        <label>${t.paid} <input name="paid" required inputmode="decimal" pattern=${AMOUNT} value=${s.paid / 100} /></label>
        <label>${t.note} <input name="note" maxlength="500" /></label>
        <button type="submit">${t.saveCorrection}</button>
      </form>
      <form @submit=${cancel} aria-label=${t.voidSubscription}>
        <label>${t.voidWhy} <input name="note" required maxlength="500" /></label>
        <button type="submit">${t.voidSubscription}</button>
      </form>
    </details>
  </li>`;
}

/** See the module comment. */
export function treasuryView(t: AppStrings, data: TreasuryData, act: TreasuryActions): TemplateResult {
  const { rules, period, payers, dues } = data;
  if (!rules) return html`<p>${t.noRules}</p>${rulesForm(t, rules, act.setRules)}`;
  const money = (c: number) => `${(c / 100).toFixed(2)} ${rules.currency}`;
  const onStamp = onSubmit((form) =>
    act.record({
      person: field(form, "person"),
      period: field(form, "period"),
      amount: cents(field(form, "amount")),
      method: field(form, "method") as StampInput["method"],
    }),
  );
  const onSubscription = onSubmit((form) => {
    act.subscribe({
      person: field(form, "person"),
      publication: field(form, "publication"),
      from: field(form, "from"),
      to: field(form, "to"),
      paid: cents(field(form, "paid")),
      method: field(form, "method") as SubscriptionInput["method"],
    });
    form.reset();
  });
  const name = new Map(payers.map((p) => [p.id, p.name]));
  const personSelect = html`<label>${t.person}
    <select name="person" required>
      ${payers.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
    </select>
  </label>`;
  return html`<p>${t.rulesInForce(rules.period, rules.brackets.map((b) => `${b.label} ${money(b.amount)}`).join(" · "))}</p>
    ${rulesForm(t, rules, act.setRules)}
    <form @submit=${onStamp} aria-label=${t.recordStamp}>
      ${personSelect}
      <label>${t.period} <input name="period" required value=${period} /></label>
      <label>${t.amount} <input name="amount" required inputmode="decimal" pattern=${AMOUNT} value=${(rules.brackets[0]?.amount ?? 0) / 100} /></label>
      ${methodSelect(t)}
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
    ${duesGrid(t, data, name, money)}
    <h3>${t.latestStamps}</h3>
    <ul class="stamps">
      ${repeat(
        data.stamps,
        (s) => s.id,
        (s) => stampItem(t, s, name.get(s.person) ?? s.person, money, act),
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
      ${repeat(
        data.subscriptions,
        (s) => s.id,
        (s) => subscriptionItem(t, s, name.get(s.person) ?? s.person, act),
      )}
    </ul>
    <details>
      <summary>${t.addSubscription}</summary>
      <form @submit=${onSubscription}>
        ${personSelect}
        <label>${t.publication} <input name="publication" required maxlength="200" /></label>
        <label>${t.from} <input name="from" type="date" required /></label>
        <label>${t.to} <input name="to" type="date" required /></label>
        <label>${t.paid} <input name="paid" required inputmode="decimal" pattern=${AMOUNT} /></label>
        ${methodSelect(t)}
        <button type="submit">${t.add}</button>
      </form>
    </details>`;
}
