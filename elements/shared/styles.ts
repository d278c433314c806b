/**
 * What every widget shares in its shadow root: the blog's font and colours unless the page sets the
 * `--cellule-*` custom properties, status messages that screen readers announce, muted lines (places,
 * dates), text that keeps its line breaks and cannot reorder the page around it (`unicode-bidi: isolate`, as `<bdi>`
 * is by default).
 */
import { type CSSResult, unsafeCSS } from "lit";

/**
 * Lit's `css`, for the widgets' constant styles: the text as written (no interpolation, nothing from a page
 * or an edition), without the checks of Lit's tag, which cost ~150 B gzipped in the widget bundle. Named
 * `css` so that the build minifies it as CSS (rollup.config.mjs).
 */
export const css = (strings: TemplateStringsArray): CSSResult => unsafeCSS(strings[0]);

export const baseStyles = css`
  :host {
    display: block;
    font-family: var(--cellule-font, inherit);
    color: var(--cellule-color, inherit);
    line-height: var(--cellule-line-height, 1.5);
  }
  :host([hidden]) {
    display: none;
  }
  .status,
  .muted {
    margin: 0;
    color: var(--cellule-muted, #555);
  }
  .status {
    padding: var(--cellule-gap, 0.75em) 0;
  }
  .muted {
    font-size: 0.9em;
  }
  .status.error {
    color: var(--cellule-error, #a40000);
  }
  .text {
    white-space: pre-line;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }
  a {
    color: var(--cellule-accent, inherit);
  }
  button {
    font: inherit;
    color: inherit;
    background: var(--cellule-button-background, transparent);
    border: 1px solid currentColor;
    border-radius: var(--cellule-radius, 0.25em);
    padding: 0.25em 0.75em;
    cursor: pointer;
  }
`;

/** Lists of posts or events: no bullets, a gap between items, modest item titles. */
export const listStyles = css`
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li + li {
    margin-top: var(--cellule-gap, 1.25em);
  }
  h3 {
    margin: 0;
    font-size: 1.1em;
  }
`;
