/**
 * "My devices" in the member space: this member's devices, a way to link another one (the code to type on
 * the new device, then the check code it shows to type here), and revocation of a lost one; and, on a new
 * device, the form to link it with a code from a trusted one.
 */
import { html, nothing, type TemplateResult } from "lit";
import { field } from "./forms.js";
import { qrCode } from "./qr.js";
import type { AppStrings } from "./strings.js";

/** One of the member's devices. */
export interface DeviceRow {
  id: string;
  current: boolean;
}

/** A link in progress on the trusted device. */
export interface LinkState {
  code: string;
  /** How many new devices answered. */
  answers: number;
}

/** The member's devices, the link in progress, and what went wrong last. */
export function devicesView(
  t: AppStrings,
  devices: DeviceRow[],
  link: LinkState | undefined,
  act: { start(): void; confirm(checkCode: string): void; revoke(id: string): void },
): TemplateResult {
  const onConfirm = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.reportValidity()) act.confirm(field(form, "check"));
  };
  return html`<ul class="devices" aria-label=${t.devices}>
      ${devices.map(
        (d) => html`<li>
          <code>${d.id.slice(0, 12)}…</code> ${d.current ? html`<strong>${t.thisDevice}</strong>` : nothing}
          ${d.current ? nothing : html`<button @click=${() => act.revoke(d.id)}>${t.revoke}</button>`}
        </li>`,
      )}
    </ul>
    ${
      link
        ? html`<p>${t.linkShowCode}</p>
            <p class="code" aria-label=${t.linkCode}><strong>${link.code}</strong></p>
            ${qrCode(linkUrl(link.code), t.linkQr)}
            <p role="status">${t.linkAnswers(link.answers)}</p>
            <form @submit=${onConfirm}>
              <label>${t.checkCode} <input name="check" required inputmode="numeric" pattern="[0-9 ]{6,7}" autocomplete="off" /></label>
              <button type="submit">${t.confirmLink}</button>
            </form>`
        : html`<button @click=${() => act.start()}>${t.linkDevice}</button>`
    }`;
}

/** This member space with a link code in its fragment: what the QR code beside the code opens. */
export function linkUrl(code: string): string {
  return `${new URL(location.pathname, location.origin).href}#link=${encodeURIComponent(code)}`;
}

/** The link code in a member space fragment (`#link=<code>`), if any. */
export function linkCodeIn(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("link") ?? "";
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
    return html`<p>${t.typeCheckCode}</p>
      <p class="code" aria-label=${t.checkCode}><strong>${checkCode}</strong></p>`;
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.reportValidity()) submit(field(form, "code"));
  };
  return html`<section aria-labelledby="link-title">
    <h2 id="link-title">${t.linkThisDevice}</h2>
    <form @submit=${onSubmit}>
      <label>${t.linkCode} <input name="code" required autocomplete="off" autocapitalize="characters" .value=${linkCodeIn(location.hash)} /></label>
      <button type="submit">${t.link}</button>
    </form>
  </section>`;
}

/** The recovery phrase, shown once after joining. */
export function recoveryView(t: AppStrings, phrase: string, done: () => void): TemplateResult {
  return html`<section aria-labelledby="recovery-title" class="recovery">
    <h2 id="recovery-title">${t.recoveryTitle}</h2>
    <p>${t.recoveryIntro}</p>
    <ol class="phrase">
      ${phrase.split(" ").map((w) => html`<li>${w}</li>`)}
    </ol>
    <button @click=${done}>${t.recoveryDone}</button>
  </section>`;
}

/** On a device with no cell: restore a membership from its recovery phrase. */
export function restoreView(t: AppStrings, submit: (phrase: string) => void): TemplateResult {
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (form.reportValidity()) submit(field(form, "phrase"));
  };
  return html`<section aria-labelledby="restore-title">
    <h2 id="restore-title">${t.restoreTitle}</h2>
    <form @submit=${onSubmit}>
      <label>${t.phrase} <textarea name="phrase" required rows="3" autocomplete="off" spellcheck="false"></textarea></label>
      <button type="submit">${t.restore}</button>
    </form>
  </section>`;
}
