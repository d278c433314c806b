import { html, nothing } from "lit";
import type { WidgetStrings } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { EditionElement } from "../shared/edition-element.js";
import { clip } from "../shared/safe.js";
import { baseStyles, css } from "../shared/styles.js";

/**
 * A cell's card: its name, place, description and how to reach it, from its signed edition.
 *
 * @tagname cell-card
 * @attr cell - the cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces
 * @attr lang - `fr` (default) or `en`
 * @slot - extra content under the card (e.g. a `<cell-join>` button)
 * @csspart card - the card
 * @csspart name - the cell's name
 * @csspart place - its place
 * @csspart description - its description
 * @csspart contact - how to reach it
 * @csspart status - loading and error messages
 * @cssprop --cellule-font - font family (default: the page's)
 * @cssprop --cellule-color - text colour
 * @cssprop --cellule-muted - colour of the place and messages
 * @cssprop --cellule-card-background - background of the card
 * @cssprop --cellule-card-border - border of the card
 * @cssprop --cellule-radius - corner radius of the card (default: 0.25em)
 * @cssprop --cellule-gap - padding of the card
 * @cssprop --cellule-line-height - line height (default: 1.5)
 * @cssprop --cellule-error - colour of error messages (default: #a40000)
 */
export class CellCard extends EditionElement {
  static override styles = [
    baseStyles,
    css`
      section {
        background: var(--cellule-card-background, transparent);
        border: var(--cellule-card-border, 1px solid currentColor);
        border-radius: var(--cellule-radius, 0.25em);
        padding: var(--cellule-gap, 1em);
      }
      h2 {
        margin: 0;
        font-size: 1.3em;
      }
    `,
  ];

  protected renderEdition(edition: VerifiedEdition, { t }: { t: WidgetStrings }) {
    const p = edition.profile;
    const place = clip(p.place, 300);
    const description = clip(p.description, 5_000);
    const contact = clip(p.contact, 500);
    return html`<section part="card" aria-label=${clip(p.name, 300)}>
      <h2 part="name"><bdi>${clip(p.name, 300)}</bdi></h2>
      ${place ? html`<p part="place" class="muted"><bdi>${place}</bdi></p>` : nothing}
      ${description ? html`<p part="description" class="text">${description}</p>` : nothing}
      ${contact ? html`<p part="contact"><strong>${t.contact}</strong> : <bdi>${contact}</bdi></p>` : nothing}
      <slot></slot>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-card": CellCard;
  }
}
