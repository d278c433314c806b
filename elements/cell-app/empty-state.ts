/**
 * An empty state: an icon and a line that says what is missing and what to do next (write the first post,
 * wait for an officer). Tabs with nothing to list draw it in place of a bare sentence.
 */
import { html, type TemplateResult } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { type IconName, icon } from "./icons.js";

/** `text` under the icon `shape`; `role` when the line is news a screen reader should hear. */
export function emptyState(shape: IconName, text: string, role?: "status" | "alert"): TemplateResult {
  return html`<div class="empty">${icon(shape)}<p role=${ifDefined(role)}>${text}</p></div>`;
}
