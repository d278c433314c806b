import { describe, expect, it } from "vitest";
import { accentProperties, contrast, DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, parseHex } from "./accent.js";

describe("the cell's accent colour in the member space", () => {
  it("ignores what is not a hex colour (a profile comes from any device of the cell)", () => {
    for (const bad of [undefined, null, 0, "", "red", "#12345", "#gggggg", "#c0392b; color: red", "url(x)"])
      expect(accentProperties(bad)).toBeUndefined();
    expect(parseHex("#AbC")).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it("computes WCAG contrast as axe-core does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("keeps every accent readable: text on the fill, accent text on both themes' backgrounds", () => {
    const accents = [
      "#c0392b",
      "#ffee00",
      "#00ff00",
      "#777777",
      "#123",
      "#fff",
      "#000000",
      "#1e90ff",
      "#b3001b",
    ];
    for (let i = 0; i < 200; i++)
      accents.push(
        `#${Math.floor(((i * 2654435761) >>> 0) % 0x1000000)
          .toString(16)
          .padStart(6, "0")}`,
      );
    for (const accent of accents) {
      const p = accentProperties(accent)!;
      expect(contrast(p["--cellule-accent"], p["--cellule-on-accent"]), accent).toBeGreaterThanOrEqual(4.5);
      for (const bg of LIGHT_BACKGROUNDS)
        expect(contrast(p["--cellule-accent-text-light"], bg), accent).toBeGreaterThanOrEqual(4.5);
      for (const bg of DARK_BACKGROUNDS)
        expect(contrast(p["--cellule-accent-text-dark"], bg), accent).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("keeps an accent that already reads as it is", () => {
    const p = accentProperties("#B3001B")!;
    expect(p["--cellule-accent"]).toBe("#b3001b");
    expect(p["--cellule-on-accent"]).toBe("#ffffff");
    expect(p["--cellule-accent-text-light"]).toBe("#b3001b");
    expect(p["--cellule-accent-text-dark"]).not.toBe("#b3001b");
    expect(accentProperties("#ffee00")!["--cellule-on-accent"]).toBe("#000000");
  });
});
