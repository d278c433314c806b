/** The member space's look: its layout, forms, lists, tables, QR codes, and what prints. */
import { css } from "lit";
import { baseStyles } from "../shared/styles.js";

export const appStyles = [
  baseStyles,
  css`
    :host {
      max-width: 40rem;
      margin: 0 auto;
      padding: 0.75rem;
    }
    nav {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
      margin: 0.5rem 0 1rem;
    }
    nav button[aria-current="page"] {
      font-weight: bold;
      border-width: 2px;
    }
    form {
      display: grid;
      gap: 0.6rem;
      margin: 0.5rem 0 1rem;
    }
    label {
      display: grid;
      gap: 0.2rem;
    }
    label.check {
      display: flex;
      gap: 0.4rem;
    }
    input,
    textarea {
      font: inherit;
      padding: 0.4rem;
      border: 1px solid currentColor;
      border-radius: 0.25rem;
    }
    form > button {
      justify-self: start;
    }
    ol,
    ul {
      list-style: none;
      padding: 0;
    }
    li + li {
      margin-top: 1rem;
    }
    h3 {
      margin: 0;
    }
    .meta {
      color: var(--cellule-muted, #555);
      font-size: 0.9em;
      margin: 0.2rem 0;
    }
    .badge {
      font-weight: bold;
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
    }
    .scroll {
      overflow-x: auto;
      /* The containing block of the hidden words inside, so that they scroll (and clip) with it. */
      position: relative;
    }
    table {
      border-collapse: collapse;
      margin: 0.5rem 0 1rem;
    }
    caption {
      text-align: start;
      font-weight: bold;
    }
    th,
    td {
      padding: 0.2rem 0.4rem;
      text-align: center;
      border-bottom: 1px solid var(--cellule-muted, #555);
    }
    th[scope="row"] {
      text-align: start;
    }
    td.unpaid {
      color: var(--cellule-accent, #a40000);
      font-weight: bold;
    }
    /* On paper: the booklet's table, without the app around it. */
    .print-only {
      display: none;
    }
    @media print {
      header,
      nav,
      p.status,
      .no-print {
        display: none !important;
      }
      .print-only {
        display: table;
      }
    }
    .snippet pre {
      overflow-x: auto;
      padding: 0.5rem;
      border: 1px solid var(--cellule-muted, #555);
      border-radius: 0.25rem;
      font-size: 0.85em;
    }
    figure {
      margin: 0 0 1rem;
    }
    .switcher summary {
      cursor: pointer;
    }
    .switcher li + li {
      margin-top: 0.4rem;
    }
    button[aria-pressed="true"] {
      background: var(--cellule-accent, #a40000);
      color: #fff;
    }
  `,
];
