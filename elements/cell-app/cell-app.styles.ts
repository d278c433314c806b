/**
 * The member space's look, in two layers as the widgets have it: tokens (`--cellule-*` custom properties,
 * light by default and dark when the system asks for it, the cell's accent set on the element from its
 * profile, see accent.ts), then the shell drawn with them: a header with the cell's name, what is waiting
 * to be sent and the cell switcher; the tabs as a bottom bar on a phone and a side bar from 56rem; the
 * content in cards (content.styles.ts). Only CSS and Lit's adopted stylesheets: nothing the page's strict
 * CSP (`style-src 'self'`) would refuse.
 */
import { css } from "lit";
import { baseStyles } from "../shared/styles.js";
import { contentStyles } from "./content.styles.js";

/** Tokens: every colour pair here reads at WCAG AA or better (checked by axe-core in both themes). */
const tokens = css`
  :host {
    color-scheme: light;
    --bg: #f4f2ee;
    --surface: #ffffff;
    --surface-2: #ebe8e2;
    --text: #1c1b1f;
    --muted: #57555c;
    --border: #d3cfc6;
    --error: #a40000;
    --accent: var(--cellule-accent, #b3001b);
    --on-accent: var(--cellule-on-accent, #ffffff);
    --accent-text: var(--cellule-accent-text-light, #b3001b);
    --shadow: 0 1px 2px rgb(0 0 0 / 0.06), 0 2px 8px rgb(0 0 0 / 0.04);
    --radius: 0.9rem;
    --gap: 1rem;
    --bar-height: 4.25rem;
    --cellule-muted: var(--muted);
    --cellule-error: var(--error);
    --cellule-radius: 0.6rem;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color-scheme: dark;
      --bg: #121316;
      --surface: #1c1d21;
      --surface-2: #26272c;
      --text: #ececf1;
      --muted: #a8a8b2;
      --border: #3a3b42;
      --error: #ff8f87;
      --accent-text: var(--cellule-accent-text-dark, #d57382);
      --shadow: none;
    }
  }
`;

/** The shell: header, tabs, content; phone first, a side bar from 56rem. */
const shell = css`
  :host {
    display: block;
    min-height: 100vh;
    min-height: 100dvh;
    background: var(--bg);
    color: var(--text);
    font-family: var(--cellule-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    line-height: 1.5;
    -webkit-tap-highlight-color: transparent;
  }
  .icon {
    width: 1.4rem;
    height: 1.4rem;
    flex: none;
  }
  header.bar {
    position: sticky;
    top: 0;
    z-index: 3;
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    grid-template-areas: "mark title cells" "mark sync cells";
    align-items: center;
    column-gap: 0.75rem;
    padding: 0.6rem max(0.9rem, env(safe-area-inset-right)) 0.6rem max(0.9rem, env(safe-area-inset-left));
    background: var(--surface);
    border-bottom: 1px solid var(--border);
  }
  .mark {
    grid-area: mark;
    display: grid;
    place-items: center;
    width: 2.5rem;
    height: 2.5rem;
    border-radius: 50%;
    background: var(--accent);
    color: var(--on-accent);
    font-weight: 700;
    font-size: 1.15rem;
  }
  header.bar h1 {
    grid-area: title;
    margin: 0;
    font-size: 1.05rem;
    line-height: 1.25;
    overflow-wrap: anywhere;
  }
  header.bar:not(:has(.sync)) {
    grid-template-areas: "mark title cells";
  }
  .sync {
    grid-area: sync;
    display: flex;
    align-items: center;
    gap: 0.3rem;
    margin: 0;
    font-size: 0.85rem;
    color: var(--muted);
  }
  .sync .icon {
    width: 1.1rem;
    height: 1.1rem;
  }
  .sync.waiting,
  .sync.offline {
    color: var(--text);
    font-weight: 600;
  }
  .sync-relays {
    display: none;
  }
  /* The switcher: a menu under its button. */
  .switcher {
    grid-area: cells;
    position: relative;
  }
  .switcher summary {
    display: flex;
    align-items: center;
    gap: 0.35rem;
    min-height: 2.75rem;
    padding: 0 0.6rem;
    border: 1px solid var(--border);
    border-radius: 999px;
    background: var(--surface-2);
    font-weight: 600;
    font-size: 0.8rem;
    cursor: pointer;
    list-style: none;
  }
  .switcher summary::-webkit-details-marker {
    display: none;
  }
  .switcher[open] summary {
    border-color: var(--accent-text);
  }
  .switcher ul {
    position: absolute;
    right: 0;
    top: calc(100% + 0.4rem);
    min-width: min(18rem, calc(100vw - 2rem));
    margin: 0;
    padding: 0.4rem;
    list-style: none;
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
  }
  .switcher li + li {
    margin-top: 0.25rem;
  }
  .switcher li button {
    width: 100%;
    text-align: start;
    background: transparent;
    border-color: transparent;
  }
  .switcher li button[aria-current="true"] {
    font-weight: 700;
    background: var(--surface-2);
  }
  .switcher li button:disabled {
    cursor: default;
    opacity: 1;
  }

  /* The tabs: a bottom bar on a phone, scrolled sideways when they do not all fit. */
  nav[part="tabs"] {
    position: fixed;
    inset: auto 0 0 0;
    z-index: 3;
    display: flex;
    overflow-x: auto;
    scrollbar-width: none;
    padding: 0.3rem 0.25rem calc(0.3rem + env(safe-area-inset-bottom));
    background: var(--surface);
    border-top: 1px solid var(--border);
  }
  nav[part="tabs"] button {
    flex: 1 0 4.75rem;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.15rem;
    min-height: 3.4rem;
    padding: 0.2rem 0.25rem;
    border: 0;
    border-radius: 0.7rem;
    background: transparent;
    color: var(--muted);
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
  }
  nav[part="tabs"] .pill {
    display: grid;
    place-items: center;
    width: 3.5rem;
    height: 1.9rem;
    border-radius: 999px;
  }
  nav[part="tabs"] button[aria-current="page"] {
    color: var(--text);
    font-weight: 700;
  }
  nav[part="tabs"] button[aria-current="page"] .pill {
    background: var(--accent);
    color: var(--on-accent);
  }
  .content {
    padding: var(--gap) max(0.9rem, env(safe-area-inset-right)) calc(var(--bar-height) + 2rem)
      max(0.9rem, env(safe-area-inset-left));
  }
  main {
    max-width: 46rem;
    margin: 0 auto;
  }
  main > h2 {
    margin: 0.25rem 0 var(--gap);
    font-size: 1.5rem;
    line-height: 1.2;
  }
  /* What the shell says above the content: the last problem, keys to renew, a foreign public page. */
  .notice {
    max-width: 46rem;
    margin: 0 auto var(--gap);
    padding: 0.75rem 1rem;
    background: var(--surface);
    border: 1px solid var(--border);
    border-inline-start: 4px solid var(--error);
    border-radius: var(--radius);
  }
  .notice.stale {
    border-inline-start-color: var(--muted);
    color: var(--text);
  }
  .notice button {
    margin-top: 0.5rem;
  }

  @media (min-width: 56rem) {
    header.bar {
      grid-template-columns: auto minmax(0, 1fr) auto auto;
      grid-template-areas: "mark title sync cells";
      padding-inline: 1.5rem;
    }
    header.bar h1 {
      font-size: 1.3rem;
    }
    .switcher summary {
      font-size: 0.9rem;
      padding: 0 0.8rem;
    }
    .sync {
      padding: 0.35rem 0.8rem;
      border: 1px solid var(--border);
      border-radius: 999px;
      background: var(--surface-2);
    }
    .sync-relays {
      display: inline;
    }
    .body {
      display: grid;
      grid-template-columns: 15rem minmax(0, 1fr);
      align-items: start;
    }
    nav[part="tabs"] {
      position: sticky;
      top: 4.5rem;
      flex-direction: column;
      gap: 0.2rem;
      overflow: visible;
      padding: 1rem 0.75rem;
      background: transparent;
      border: 0;
    }
    nav[part="tabs"] button {
      flex: none;
      flex-direction: row;
      gap: 0.75rem;
      min-height: 2.75rem;
      padding: 0.3rem 0.9rem 0.3rem 0.3rem;
      font-size: 0.95rem;
      color: var(--text);
      font-weight: 500;
      text-align: start;
      justify-content: flex-start;
    }
    nav[part="tabs"] .pill {
      width: 2.5rem;
      height: 2.1rem;
    }
    nav[part="tabs"] button:hover {
      background: var(--surface-2);
    }
    nav[part="tabs"] button[aria-current="page"] {
      background: var(--surface);
      box-shadow: var(--shadow);
    }
    .content {
      padding: 1.5rem 2rem 3rem;
    }
  }

  /* The way in (no cell open yet): one column of cards under the app's name. */
  .page main {
    max-width: 34rem;
  }
  .page .content {
    padding-bottom: 3rem;
  }
`;

export const appStyles = [baseStyles, tokens, shell, contentStyles];
