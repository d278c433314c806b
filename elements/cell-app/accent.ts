/**
 * The cell's accent colour (its profile's `accent`) as the member space uses it: a fill (the current tab's
 * mark, pressed and main buttons) with the text colour that reads on it, and, for text and links, the
 * colour nearest to the accent that reads on the light theme's backgrounds and the one that reads on the
 * dark theme's (WCAG contrast at least 4.5:1, as axe-core checks it). The profile comes from any device of
 * the cell, so anything but a hex colour is ignored (the app keeps its own accent).
 */

/** The custom properties `<cell-app>` sets on itself for an accent (see cell-app.styles.ts). */
export interface AccentProperties {
  "--cellule-accent": string;
  "--cellule-on-accent": string;
  "--cellule-accent-text-light": string;
  "--cellule-accent-text-dark": string;
}

/** The themes' backgrounds that accent-coloured text sits on (cell-app.styles.ts uses the same). */
export const LIGHT_BACKGROUNDS = ["#ffffff", "#f4f2ee", "#ebe8e2"] as const;
export const DARK_BACKGROUNDS = ["#121316", "#1c1d21", "#26272c"] as const;

/** A little above WCAG AA's 4.5, so that rounding to a hex colour never falls under it. */
const TARGET = 4.6;
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

type Rgb = readonly [number, number, number];

/** `#abc` or `#aabbcc` as 0–255 channels; `undefined` for anything else. */
export function parseHex(value: unknown): Rgb | undefined {
  if (typeof value !== "string" || !HEX.test(value)) return undefined;
  const digits = value.length === 4 ? [...value.slice(1)].map((d) => d + d).join("") : value.slice(1);
  return [0, 2, 4].map((i) => Number.parseInt(digits.slice(i, i + 2), 16)) as unknown as Rgb;
}

const toHex = (rgb: Rgb): string =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** WCAG 2 relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(parseHex(a)!), luminance(parseHex(b)!)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const mix = (from: Rgb, to: Rgb, t: number): Rgb =>
  from.map((c, i) => c + (to[i]! - c) * t) as unknown as Rgb;

/**
 * The colour nearest to `accent` on its way to `toward` (black or white) that reads on every one of
 * `backgrounds`: the accent itself when it does.
 */
function readableOn(accent: Rgb, toward: Rgb, backgrounds: readonly string[]): string {
  for (let step = 0; step <= 20; step++) {
    const candidate = toHex(mix(accent, toward, step / 20));
    if (backgrounds.every((bg) => contrast(candidate, bg) >= TARGET)) return candidate;
  }
  return toHex(toward);
}

/**
 * The properties for the accent `value` (a profile's `accent`), or `undefined` when it is not a hex
 * colour. On the fill, black or white text, whichever contrasts more (one of the two always reaches 4.5).
 */
export function accentProperties(value: unknown): AccentProperties | undefined {
  const rgb = parseHex(value);
  if (!rgb) return undefined;
  const fill = toHex(rgb);
  return {
    "--cellule-accent": fill,
    "--cellule-on-accent": contrast(fill, "#ffffff") >= contrast(fill, "#000000") ? "#ffffff" : "#000000",
    "--cellule-accent-text-light": readableOn(rgb, [0, 0, 0], LIGHT_BACKGROUNDS),
    "--cellule-accent-text-dark": readableOn(rgb, [255, 255, 255], DARK_BACKGROUNDS),
  };
}
