/**
 * The member space's icons: inline SVG drawn in the page's own script (no icon font, no file to fetch, so
 * nothing the strict CSP would have to allow), 24×24 strokes in `currentColor`. An icon is always beside
 * a text label, so each is hidden from assistive technology (`aria-hidden`) and never the only name of a
 * control.
 */
import { html, type SVGTemplateResult, svg, type TemplateResult } from "lit";

/** The shapes, by name: the tabs' (by their IDs), then the header's and the screens'. */
const SHAPES = {
  journal: svg`<path d="M4 5h12v14H6a2 2 0 0 1-2-2z"/><path d="M16 9h4v8a2 2 0 0 1-4 0"/><path d="M7 9h6M7 12h6M7 15h4"/>`,
  events: svg`<rect x="3.5" y="5" width="17" height="15" rx="2"/><path d="M3.5 10h17M8 3v4M16 3v4"/><path d="M8 14h2M12 14h2M8 17h2"/>`,
  officers: svg`<path d="M12 3l7 3v5c0 4.5-3 8-7 10-4-2-7-5.5-7-10V6z"/><path d="M9 12l2 2 4-4"/>`,
  booklet: svg`<path d="M5 4h11a3 3 0 0 1 3 3v13H8a3 3 0 0 1-3-3z"/><path d="M5 17a3 3 0 0 1 3-3h11"/><path d="M9 8h6"/>`,
  treasury: svg`<ellipse cx="12" cy="7" rx="7" ry="3"/><path d="M5 7v5c0 1.7 3.1 3 7 3s7-1.3 7-3V7"/><path d="M5 12v5c0 1.7 3.1 3 7 3s7-1.3 7-3v-5"/>`,
  members: svg`<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6"/><path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.3c2 .8 3.5 2.9 3.5 5.7"/>`,
  site: svg`<circle cx="12" cy="12" r="8.5"/><path d="M3.5 12h17M12 3.5c2.5 2.6 3.5 5.4 3.5 8.5s-1 5.9-3.5 8.5c-2.5-2.6-3.5-5.4-3.5-8.5s1-5.9 3.5-8.5z"/>`,
  devices: svg`<rect x="6.5" y="2.5" width="11" height="19" rx="2"/><path d="M10.5 18h3"/>`,
  settings: svg`<circle cx="12" cy="12" r="3"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"/>`,
  cells: svg`<path d="M12 3l9 5-9 5-9-5z"/><path d="M3 13l9 5 9-5"/>`,
  sent: svg`<path d="M7 18h10a4 4 0 0 0 .6-8A6 6 0 0 0 6 9.5 4.3 4.3 0 0 0 7 18z"/><path d="M9.5 13.5l2 2 3.5-3.5"/>`,
  waiting: svg`<path d="M7 18h10a4 4 0 0 0 .6-8A6 6 0 0 0 6 9.5 4.3 4.3 0 0 0 7 18z"/><path d="M12 16v-5M9.8 13l2.2-2.2 2.2 2.2"/>`,
  offline: svg`<path d="M9 6.3A6 6 0 0 1 17.6 10a4 4 0 0 1 2.2 6.6M16 18H7a4.3 4.3 0 0 1-1-8.5"/><path d="M3 3l18 18"/>`,
  found: svg`<path d="M12 4v16M4 12h16"/>`,
  link: svg`<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>`,
  restore: svg`<path d="M4 12a8 8 0 1 0 2.4-5.7"/><path d="M4 4v4h4"/><path d="M12 8v4l3 2"/>`,
  empty: svg`<path d="M4 13l2.5-7h11L20 13v6H4z"/><path d="M4 13h5l1 2h4l1-2h5"/>`,
} as const;

/** An icon's name. */
export type IconName = keyof typeof SHAPES;

/** Whether `name` is an icon's (a tab added later without one of its own gets none). */
export const isIcon = (name: string): name is IconName => Object.hasOwn(SHAPES, name);

/** The icon `name`, decorative: its text label says what it means. */
export function icon(name: IconName): TemplateResult {
  const shape: SVGTemplateResult = SHAPES[name];
  return html`<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`;
}
