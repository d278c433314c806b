import { css, html, LitElement } from "lit";
import { joinStrings, langOf, widgetStrings } from "../../core/public/strings/index.js";
import { parseCellAddress } from "../shared/cell-address.js";
import { baseStyles } from "../shared/styles.js";

/**
 * The "join" button of a blog: opens the join page of the cell's member space in a new tab, on the member
 * space's own origin, where the visitor's identity is created — never on the blog's. Nothing is loaded
 * or stored on the blog; it is a plain link, so it works without JavaScript in the widget too.
 *
 * @tagname cell-join
 * @attr cell - the cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces
 * @attr lang - `fr` (default) or `en`
 * @attr app - the member space's URL, if not the first relay's `/app/`
 * @attr invite - an invitation (the text an officer shares) to redeem directly
 * @slot - the button's text (default: "Adhérer à la cellule" / "Join the cell")
 * @csspart button - the link, styled as a button
 * @csspart status - the message shown when the address is missing or invalid
 * @cssprop --cellule-join-background - background of the button
 * @cssprop --cellule-join-color - text colour of the button
 * @cssprop --cellule-radius - corner radius of the button (default: 0.25em)
 * @cssprop --cellule-line-height - line height (default: 1.5)
 * @cssprop --cellule-error - colour of the message for a missing address (default: #a40000)
 */
export class CellJoin extends LitElement {
  static override properties = {
    cell: { type: String },
    // The blogger types `lang`; the property has another name so as not to shadow HTMLElement.lang.
    locale: { type: String, attribute: "lang" },
    app: { type: String },
    invite: { type: String },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      a {
        display: inline-block;
        text-decoration: none;
        color: var(--cellule-join-color, #fff);
        background: var(--cellule-join-background, #a40000);
        border-radius: var(--cellule-radius, 0.25em);
        padding: 0.5em 1em;
        font-weight: bold;
      }
    `,
  ];

  cell: string | null = null;
  locale: string | null = null;
  app: string | null = null;
  invite: string | null = null;

  /** Where the button leads: `<member space>#join=<cellId>` (and `&invite=…`); the fragment never reaches a server. */
  get href(): string | undefined {
    const address = parseCellAddress(this.cell);
    if (!address) return undefined;
    let app: URL;
    try {
      app = new URL(this.app || "app/", address.relays[0]);
    } catch {
      return undefined;
    }
    if (app.protocol !== "https:" && app.protocol !== "http:") return undefined;
    const invite = this.invite ? `&invite=${encodeURIComponent(this.invite)}` : "";
    app.hash = `join=${address.cellId}${invite}`;
    return app.href;
  }

  override render() {
    const lang = langOf(this.locale);
    const href = this.href;
    if (!href)
      return html`<p part="status" class="status error" role="alert">${widgetStrings(lang).noAddress}</p>`;
    const s = joinStrings(lang);
    return html`<a part="button" href=${href} target="_blank" rel="noopener" title=${s.note}
      ><slot>${s.label}</slot></a
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "cell-join": CellJoin;
  }
}
