/** The status line every widget shows while loading, or instead of content it cannot show. */
import { html, type TemplateResult } from "lit";
import type { WidgetStrings } from "../../core/public/strings/index.js";
import type { EditionState } from "./edition-controller.js";

/** The status message for a state other than `ready` (announced politely to screen readers). */
export function statusLine(
  state: Exclude<EditionState, { status: "ready" }>,
  t: WidgetStrings,
): TemplateResult {
  const error = state.status !== "loading";
  return html`<p part="status" class="status ${error ? "error" : ""}" role=${error ? "alert" : "status"}>${t[state.status]}</p>`;
}
