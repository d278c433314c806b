/**
 * "My devices" in the member space: this member's devices, a way to link another one (the code to type on
 * the new device, and a QR code that carries a longer secret instead, then the check code it shows to type
 * here), and revocation of a lost one. The other side, linking a new device, is part of the way in
 * (`session-view.ts`).
 */
import { html, nothing, type TemplateResult } from "lit";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import { field } from "../../forms.js";
import { linkUrl } from "../../links.js";
import { qrCode } from "../../qr.js";

/** One of the member's devices. */
export interface DeviceRow {
  id: string;
  current: boolean;
  /** The name the member gave it (in the members tab), if any. */
  name?: string;
}

/** A link in progress on the trusted device. */
export interface LinkState {
  code: string;
  /** The long secret the QR code carries (the short code is for typing by hand). */
  qr: string;
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
          ${d.name ? html`<span class="device-name">${d.name}</span>` : nothing} <code>${d.id.slice(0, 12)}…</code> ${d.current ? html`<strong>${t.thisDevice}</strong>` : nothing}
          ${d.current ? nothing : html`<button @click=${() => act.revoke(d.id)}>${t.revoke}</button>`}
        </li>`,
      )}
    </ul>
    ${
      link
        ? html`<p>${t.linkShowCode}</p>
            <p class="code" aria-label=${t.linkCode}><strong>${link.code}</strong></p>
            ${qrCode(linkUrl(link.qr), t.linkQr)}
            <p role="status">${t.linkAnswers(link.answers)}</p>
            <form @submit=${onConfirm}>
              <label>${t.checkCode} <input name="check" required inputmode="numeric" pattern="[0-9 ]{6,7}" autocomplete="off" /></label>
              <button type="submit">${t.confirmLink}</button>
            </form>`
        : html`<button @click=${() => act.start()}>${t.linkDevice}</button>`
    }`;
}
