/**
 * The member space's content, with cell-app.styles.ts's tokens: buttons and fields large enough for a
 * thumb, lists of cards with one spacing, what each tab draws (posts, events, people, devices, tables,
 * QR codes), empty states, and what prints. The tabs' views own their markup; they are styled here by
 * their classes and elements only.
 */
import { css } from "lit";

export const contentStyles = css`
  a {
    color: var(--accent-text);
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: 2.75rem;
    padding: 0.45rem 1rem;
    border: 1px solid var(--border);
    border-radius: 0.7rem;
    background: var(--surface-2);
    color: var(--text);
    font: inherit;
    font-weight: 600;
    line-height: 1.25;
    cursor: pointer;
  }
  button:hover {
    border-color: var(--muted);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  :focus-visible {
    outline: 3px solid var(--accent-text);
    outline-offset: 2px;
  }
  button[type="submit"],
  button[aria-pressed="true"],
  .primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--on-accent);
  }
  button.danger {
    color: var(--error);
    border-color: currentColor;
    background: var(--surface);
  }
  form {
    display: grid;
    gap: 0.85rem;
    margin: 0.5rem 0 var(--gap);
  }
  label {
    display: grid;
    gap: 0.3rem;
    font-weight: 600;
    font-size: 0.95rem;
  }
  label.check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 500;
  }
  input,
  textarea,
  select {
    font: inherit;
    font-weight: 400;
    min-height: 2.75rem;
    padding: 0.5rem 0.7rem;
    color: var(--text);
    background: var(--surface);
    border: 1px solid var(--muted);
    border-radius: 0.6rem;
    max-width: 100%;
    box-sizing: border-box;
  }
  input[type="checkbox"] {
    min-height: 0;
    width: 1.25rem;
    height: 1.25rem;
    accent-color: var(--accent);
  }
  input[type="file"] {
    padding: 0.4rem;
  }
  form > button {
    justify-self: start;
  }
  p {
    margin: 0.5rem 0;
  }
  ol,
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  h3 {
    margin: 0 0 0.35rem;
    font-size: 1.1rem;
    line-height: 1.3;
  }
  section {
    margin-block: 0 1.5rem;
  }
  .meta {
    color: var(--muted);
    font-size: 0.9rem;
    margin: 0.2rem 0;
  }
  .badge,
  .role {
    display: inline-block;
    padding: 0.05rem 0.55rem;
    border-radius: 999px;
    background: var(--surface-2);
    color: var(--text);
    font-weight: 600;
    font-size: 0.85em;
  }
  .text {
    white-space: pre-line;
    overflow-wrap: anywhere;
  }

  /* Cards: one per post, event, person, device, invitation, request, message, stamp; and the panels
     that open a form (write a post, a new event, add a person). */
  :is(.posts, .events, .members, .people, .devices, .invitations, .requests, .inbox, .stamps, .subscriptions)
    > li,
  main > details,
  section > details,
  main > form,
  section > form,
  .confirm,
  .card {
    display: block;
    margin: 0 0 0.75rem;
    padding: 0.9rem 1rem;
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    box-shadow: var(--shadow);
  }
  /* A form inside a card is not a card of its own. */
  .card form,
  li form,
  details form {
    margin: 0.5rem 0 0;
    padding: 0;
    background: none;
    border: 0;
    box-shadow: none;
  }
  .card h2 {
    margin-top: 0;
    font-size: 1.2rem;
  }
  li details,
  article details {
    margin-top: 0.5rem;
  }
  details > summary {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 2.25rem;
    font-weight: 600;
    cursor: pointer;
    list-style: none;
  }
  details > summary::-webkit-details-marker {
    display: none;
  }
  /* A chevron drawn with borders: no character for a screen reader to read. */
  details > summary::before {
    content: "";
    flex: none;
    width: 0.45rem;
    height: 0.45rem;
    margin-inline: 0.2rem 0.35rem;
    border-right: 2px solid currentColor;
    border-bottom: 2px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 0.15s;
  }
  details[open] > summary::before {
    transform: rotate(45deg);
  }
  details[open] > summary {
    margin-bottom: 0.5rem;
  }
  .switcher > summary::before {
    content: none;
  }
  .tools,
  [role="group"] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.6rem;
  }
  li.cancelled h3 {
    text-decoration: line-through;
  }
  li.cancelled h3 .badge {
    text-decoration: none;
  }
  .dues,
  .totals {
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    margin-bottom: var(--gap);
  }
  .dues > li,
  .totals > li,
  .member-devices > li,
  .requests > li + li {
    padding: 0.6rem 1rem;
  }
  .dues > li + li,
  .totals > li + li {
    border-top: 1px solid var(--border);
  }
  .member-devices > li {
    padding-inline: 0;
    border-top: 1px solid var(--border);
  }
  .confirm {
    border-inline-start: 4px solid var(--error);
  }
  .confirm button + button {
    margin-inline-start: 0.5rem;
  }
  .devices li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .device-name {
    font-weight: 600;
  }
  code,
  pre {
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  }

  /* Empty states: what is missing, and what to do next. */
  .empty {
    display: grid;
    justify-items: center;
    gap: 0.5rem;
    padding: 2rem 1rem;
    text-align: center;
    color: var(--text);
    background: var(--surface);
    border: 1px dashed var(--muted);
    border-radius: var(--radius);
  }
  /* A tab with nothing to list yet (its view ends with a line saying so). */
  main > h2 + p:last-child,
  main > h2 + details + p:last-child {
    padding: 1.5rem 1rem;
    text-align: center;
    background: var(--surface);
    border: 1px dashed var(--muted);
    border-radius: var(--radius);
  }
  .empty .icon {
    width: 2.5rem;
    height: 2.5rem;
    color: var(--accent-text);
  }
  .empty p {
    margin: 0;
    max-width: 30rem;
  }

  /* The way in: a card per way, with its icon. */
  .way {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    column-gap: 0.9rem;
  }
  .way > .icon {
    width: 2.25rem;
    height: 2.25rem;
    padding: 0.45rem;
    border-radius: 50%;
    background: var(--surface-2);
    color: var(--accent-text);
  }
  .way > :not(.icon) {
    grid-column: 1 / -1;
  }
  .way > h2:not(.icon) {
    grid-column: 2;
    align-self: center;
    margin: 0;
    font-size: 1.15rem;
  }
  .lead {
    font-size: 1.05rem;
  }
  .phrase {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
    gap: 0.5rem;
    counter-reset: word;
    margin: var(--gap) 0;
  }
  .phrase li {
    counter-increment: word;
    padding: 0.5rem 0.7rem;
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: 0.6rem;
    font-weight: 600;
  }
  .phrase li::before {
    content: counter(word) ". ";
    color: var(--muted);
    font-weight: 400;
  }
  .code {
    font-size: 1.6rem;
    letter-spacing: 0.08em;
    font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  }

  /* Read by screen readers, not shown (the ✓ and ✗ of the dues table say it visually). */
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .link {
    overflow-wrap: anywhere;
  }
  svg.qr {
    width: min(100%, 18rem);
    height: auto;
    display: block;
    border-radius: 0.5rem;
  }
  .scroll {
    overflow-x: auto;
    /* The containing block of the hidden words inside, so that they scroll (and clip) with it. */
    position: relative;
    background: var(--surface);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    margin-bottom: var(--gap);
  }
  table {
    border-collapse: collapse;
    margin: 0.5rem 0 var(--gap);
  }
  caption {
    text-align: start;
    font-weight: bold;
  }
  th,
  td {
    padding: 0.35rem 0.5rem;
    text-align: center;
    border-bottom: 1px solid var(--border);
  }
  th[scope="row"] {
    text-align: start;
  }
  td.unpaid {
    color: var(--accent-text);
    font-weight: bold;
  }
  .snippet pre {
    overflow-x: auto;
    margin: 0.4rem 0;
    padding: 0.75rem;
    background: var(--surface-2);
    border: 1px solid var(--border);
    border-radius: 0.6rem;
    font-size: 0.85em;
  }
  figure {
    margin: 0 0 var(--gap);
  }
  figcaption {
    font-weight: 600;
  }

  /* On paper: the booklet's table, without the app around it. */
  .print-only {
    display: none;
  }
  @media print {
    header,
    nav,
    p.status,
    .notice,
    .no-print {
      display: none !important;
    }
    .print-only {
      display: table;
    }
    :host {
      background: #fff;
      color: #000;
    }
  }
`;
