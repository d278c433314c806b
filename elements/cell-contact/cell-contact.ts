import { html, nothing } from "lit";
import { CONTACT_LIMITS, type ContactRequest, contactTopic, sealContact } from "../../core/public/contact.js";
import { sendToRelays } from "../../core/public/relay-http.js";
import { contactStrings, type Lang } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { parseCellAddress } from "../shared/cell-address.js";
import { newestEdition } from "../shared/edition-controller.js";
import { EditionElement } from "../shared/edition-element.js";
import { baseStyles, css } from "../shared/styles.js";

/** Fired when a visitor's request has reached at least one of the cell's relays (it carries nothing). */
export class ContactSentEvent extends Event {
  static readonly type = "cell-contact-sent";
  constructor() {
    super(ContactSentEvent.type, { bubbles: true, composed: true });
  }
}

type Phase = "editing" | "sending" | "sent" | "failed" | "incomplete";

/**
 * A contact form: a visitor leaves their name, how to reach them and a message. It is sealed in the page to
 * the cell's admission key (from its verified edition) and posted to the cell's contact inbox on its
 * relays: only the cell's officers can read it. The page keeps nothing: no key, no copy, no storage.
 *
 * @tagname cell-contact
 * @attr cell - the cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces
 * @attr lang - `fr` (default) or `en`
 * @fires cell-contact-sent - when the request reached a relay (the event carries no data)
 * @csspart form - the form
 * @csspart field - each label with its input
 * @csspart input - each input and the message area
 * @csspart consent - the consent checkbox and its text
 * @csspart send - the send button
 * @csspart note - the line saying the message is encrypted
 * @csspart status - loading, error and confirmation messages
 * @cssprop --cellule-font - font family (default: the page's)
 * @cssprop --cellule-color - text colour
 * @cssprop --cellule-muted - colour of the note and messages
 * @cssprop --cellule-input-background - background of the inputs
 * @cssprop --cellule-button-background - background of the buttons (default: transparent)
 * @cssprop --cellule-radius - corner radius of the inputs and buttons (default: 0.25em)
 * @cssprop --cellule-gap - space between the fields
 * @cssprop --cellule-line-height - line height (default: 1.5)
 * @cssprop --cellule-error - colour of error messages (default: #a40000)
 */
export class CellContact extends EditionElement {
  static override properties = { phase: { state: true } };

  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: var(--cellule-gap, 0.75em);
      }
      form > button {
        justify-self: start;
      }
      label {
        display: grid;
        gap: 0.25em;
      }
      input,
      textarea {
        font: inherit;
        color: inherit;
        background: var(--cellule-input-background, transparent);
        border: 1px solid currentColor;
        border-radius: var(--cellule-radius, 0.25em);
        padding: 0.4em;
      }
      .consent {
        display: flex;
        gap: 0.5em;
        align-items: baseline;
      }
      .note {
        margin: 0;
        font-size: 0.9em;
        color: var(--cellule-muted, #555);
      }
    `,
  ];

  private phase: Phase = "editing";

  protected renderEdition(edition: VerifiedEdition, { lang }: { lang: Lang }) {
    const s = contactStrings(lang);
    if (this.phase === "sent")
      return html`<p part="status" class="status" role="status">${s.sent}</p>
        <button @click=${() => (this.phase = "editing")}>${s.another}</button>`;
    const busy = this.phase === "sending";
    const message =
      this.phase === "failed" ? s.failed : this.phase === "incomplete" ? s.required : busy ? s.sending : "";
    return html`<form part="form" novalidate @submit=${(e: SubmitEvent) => this.send(e, edition, lang)}>
      <label part="field">${s.name} *
        <input part="input" name="name" required autocomplete="name" maxlength=${CONTACT_LIMITS.name} />
      </label>
      <label part="field">${s.reach} *
        <input part="input" name="reach" required autocomplete="email" maxlength=${CONTACT_LIMITS.reach} />
      </label>
      <label part="field">${s.message}
        <textarea part="input" name="message" rows="4" maxlength=${CONTACT_LIMITS.message}></textarea>
      </label>
      <label part="consent" class="consent"><input type="checkbox" name="consent" required /> ${s.consent}</label>
      <p part="note" class="note">${s.sealed}</p>
      <button part="send" type="submit" ?disabled=${busy}>${s.send}</button>
      <p part="status" class="status ${this.phase === "failed" || this.phase === "incomplete" ? "error" : ""}"
        role=${busy ? "status" : "alert"}>${message || nothing}</p>
    </form>`;
  }

  /** Seals what the visitor typed and posts it to each of the cell's relays; the form keeps it until one took it. */
  private async send(event: SubmitEvent, edition: VerifiedEdition, lang: Lang): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    const request: ContactRequest = {
      name: field("name").value,
      reach: field("reach").value,
      message: field("message").value,
      consent: field("consent").checked as true,
      lang,
    };
    if (!form.checkValidity() || !request.name.trim() || !request.reach.trim()) {
      this.phase = "incomplete";
      (form.querySelector(":invalid") as HTMLElement | null)?.focus();
      return;
    }
    this.phase = "sending";
    const address = parseCellAddress(this.cell)!;
    try {
      // To the newest admission key any of the cell's relays shows, not only the one this form was drawn
      // from: a stale or hostile relay must not have visitors seal to a key the officers rotated out.
      const newest = await newestEdition(address);
      const sealed = await sealContact(newest.cell, newest.admissionKey, newest.chain.length - 1, request);
      // To every relay at once; one that took it is enough (relays copy each other).
      await sendToRelays(address.relays, `t/${await contactTopic(edition.cell)}`, sealed);
      form.reset();
      this.phase = "sent";
      this.dispatchEvent(new ContactSentEvent());
    } catch {
      this.phase = "failed";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-contact": CellContact;
  }
}
