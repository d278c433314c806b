/**
 * QR codes in the member space (an invitation at a meeting, the code that links a new device): the
 * symbol from `qr` (zero-dependency encoder), drawn as one SVG path of its dark modules, so it renders
 * under the app's strict CSP and prints sharp. Low error correction keeps long links to fewer, larger
 * modules: a screen or a print is not a dirty label.
 */
import { html, type TemplateResult } from "lit";
import encodeQR from "qr";

/** The dark modules of `text`'s QR code, with a quiet zone of 4 modules (what scanners expect). */
export function qrModules(text: string): boolean[][] {
  return encodeQR(text, "raw", { ecc: "low", border: 4 });
}

/** `text` as a QR code image, named `label` for screen readers. */
export function qrCode(text: string, label: string): TemplateResult {
  const rows = qrModules(text);
  let path = "";
  rows.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  const n = rows.length;
  return html`<svg class="qr" viewBox="0 0 ${n} ${n}" role="img" aria-label=${label}
    shape-rendering="crispEdges"><rect width=${n} height=${n} fill="#fff"></rect><path d=${path} fill="#000"></path></svg>`;
}
