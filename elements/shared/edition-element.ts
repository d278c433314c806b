/**
 * What every keyless widget shares: the `cell` and `lang` attributes, its cell's verified edition (see
 * edition-controller.ts), and the status line shown while it loads or instead of what it cannot show.
 * A widget renders only `renderEdition`, once its edition is verified.
 */
import { LitElement, type PropertyDeclarations, type TemplateResult } from "lit";
import { type Lang, langOf, type WidgetStrings, widgetStrings } from "../../core/public/strings/index.js";
import type { VerifiedEdition } from "../../core/public/verify.js";
import { cellZone } from "./dates.js";
import { EditionController } from "./edition-controller.js";
import { statusLine } from "./status.js";
import { baseStyles, listStyles } from "./styles.js";

/** See the module comment. */
export abstract class EditionElement extends LitElement {
  // Strings, the default type. The blogger types `lang`; the property has another name so as not to
  // shadow HTMLElement.lang.
  static override properties: PropertyDeclarations = {
    cell: {},
    locale: { attribute: "lang" },
    limit: { type: Number },
  };
  // Lists by default (the card has its own).
  static override styles = [baseStyles, listStyles];

  /** The cell's address(es): `https://relay.example.org/c/<cellId>`, several separated by spaces. */
  cell: string | null = null;
  /** `fr` (default) or `en`. */
  locale: string | null = null;
  /** How many items a list widget shows (at first): a whole number from 1; 5 when it says nothing usable. */
  limit = 5;
  protected readonly edition = new EditionController(this);

  override render(): unknown {
    const lang = langOf(this.locale);
    const t = widgetStrings(lang);
    const state = this.edition.state;
    return state.status === "ready"
      ? this.renderEdition(state.value, { ...state, lang, t, zone: cellZone(state.value.profile) })
      : statusLine(state, t);
  }

  /** How many items the `limit` attribute asks for: a whole number from 1, 5 when it says nothing usable. */
  protected get count(): number {
    // `~~` truncates to a whole number (NaN and text give 0, then 5).
    return Math.max(1, ~~this.limit || 5);
  }

  /**
   * The widget's content for a verified edition served by `relay` (a base URL ending in `/`), its times
   * shown in `zone` (the cell's time zone).
   */
  protected abstract renderEdition(
    edition: VerifiedEdition,
    context: { lang: Lang; t: WidgetStrings; relay: string; zone: string },
  ): TemplateResult;
}
