/**
 * The way in, as functions of their data: the join form (with an invitation, or a request to join), the
 * welcome of a device with no cell yet (link it from a trusted device, or restore from the recovery
 * phrase), and the recovery phrase shown once after joining. `MemberSession` (`session.ts`) says which.
 * Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { AppStrings } from "../../core/public/strings/index.js";
import { field } from "./forms.js";
import { icon } from "./icons.js";
import { linkCodeIn } from "./links.js";

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
  return html`<section aria-labelledby="join-title" class="card">
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

/** A device with no cell (or a new place for another one): the welcome, founding, the two ways back in. */
export function welcomeView(
  t: AppStrings,
  checkCode: string | undefined,
  act: { link(code: string): void; restore(phrase: string): void; found(): void },
): TemplateResult {
  if (checkCode) return linkThisDeviceView(t, checkCode, act.link);
  return html`<p class="lead">${t.welcome}</p>
    <section aria-labelledby="found-open-title" class="card way">
      ${icon("found")}
      <h2 id="found-open-title">${t.foundTitle}</h2>
      <p>${t.foundIntro}</p>
      <p><button class="primary" @click=${act.found}>${t.foundOpen}</button></p>
    </section>
    ${linkThisDeviceView(t, checkCode, act.link)} ${restoreView(t, act.restore)}`;
}

/**
 * On a device with no cell yet: type the code a trusted device shows (already filled in when the page
 * was opened from its QR code), then show the check code.
 */
export function linkThisDeviceView(
  t: AppStrings,
  checkCode: string | undefined,
  submit: (code: string) => void,
): TemplateResult {
  if (checkCode)
    return html`<div class="card">
      <p>${t.typeCheckCode}</p>
      <p class="code" aria-label=${t.checkCode}><strong>${checkCode}</strong></p>
    </div>`;
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.reportValidity()) submit(field(form, "code"));
  };
  return html`<section aria-labelledby="link-title" class="card way">
    ${icon("link")}
    <h2 id="link-title">${t.linkThisDevice}</h2>
    <p>${t.welcomeLinkIntro}</p>
    <form @submit=${onSubmit}>
      <label>${t.linkCode} <input name="code" required autocomplete="off" autocapitalize="characters" .value=${linkCodeIn(location.hash)} /></label>
      <button type="submit">${t.link}</button>
    </form>
  </section>`;
}

/** On a device with no cell: restore a membership from its recovery phrase. */
export function restoreView(t: AppStrings, submit: (phrase: string) => void): TemplateResult {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.reportValidity()) submit(field(form, "phrase"));
  };
  return html`<section aria-labelledby="restore-title" class="card way">
    ${icon("restore")}
    <h2 id="restore-title">${t.restoreTitle}</h2>
    <p>${t.welcomeRestoreIntro}</p>
    <form @submit=${onSubmit}>
      <label>${t.phrase} <textarea name="phrase" required rows="3" autocomplete="off" spellcheck="false"></textarea></label>
      <button type="submit">${t.restore}</button>
    </form>
  </section>`;
}

/** The recovery phrase, shown once after joining. */
export function recoveryView(t: AppStrings, phrase: string, done: () => void): TemplateResult {
  return html`<section aria-labelledby="recovery-title" class="recovery card">
    <h2 id="recovery-title">${t.recoveryTitle}</h2>
    <p>${t.recoveryIntro}</p>
    <ol class="phrase">
      ${phrase.split(" ").map((w) => html`<li>${w}</li>`)}
    </ol>
    <button @click=${done}>${t.recoveryDone}</button>
  </section>`;
}
