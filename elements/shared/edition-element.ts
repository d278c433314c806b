/**
 * What every keyless widget shares: the `cell` and `lang` attributes, its cell's verified edition (see
 * edition-controller.ts), and the status line shown while it loads or instead of what it cannot show.
 * A widget renders only `renderEdition`, once its edition is verified.
 */
import { LitElement, type PropertyDeclarations, type TemplateResult } from "lit";
import { type Lang, langOf, type WidgetStrings, widgetStrings } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { EditionController } from "./edition-controller.js";
import { statusLine } from "./status.js";

/** See the module comment. */
export abstract class EditionElement extends LitElement {
  // Strings, the default type. The blogger types `lang`; the property has another name so as not to
  // shadow HTMLElement.lang.
  static override properties: PropertyDeclarations = { cell: {}, locale: { attribute: "lang" } };

  /** The cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces. */
  cell: string | null = null;
  /** `fr` (default) or `en`. */
  locale: string | null = null;
  protected readonly edition = new EditionController(this);

  override render(): unknown {
    const lang = langOf(this.locale);
    const t = widgetStrings(lang);
    const state = this.edition.state;
    return state.status === "ready"
      ? this.renderEdition(state.edition, { lang, t, relay: state.relay })
      : statusLine(state, t);
  }

  /** How many items a `limit` attribute asks for: a whole number from 1, 5 when it says nothing usable. */
  protected static count(limit: unknown): number {
    return Math.max(1, Math.floor(Number(limit)) || 5);
  }

  /** The widget's content for a verified edition served by `relay` (a base URL ending in `/`). */
  protected abstract renderEdition(
    edition: VerifiedEdition,
    context: { lang: Lang; t: WidgetStrings; relay: string },
  ): TemplateResult;
}
