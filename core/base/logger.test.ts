import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, namespaceEnabled } from "./logger.js";

describe("namespaceEnabled (DEBUG patterns)", () => {
  it("matches names exactly, or with * standing for anything", () => {
    expect(namespaceEnabled("cellule:kit", "cellule:kit")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "cellule:*")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "*")).toBe(true);
    expect(namespaceEnabled("cellule:relay-client", "cellule:relay*")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "cellule:relay*")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "cellule")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "cellule:kit:more")).toBe(false);
  });

  it("is off with no pattern, and reads lists separated by commas or spaces", () => {
    expect(namespaceEnabled("cellule:kit", "")).toBe(false);
    expect(namespaceEnabled("cellule:kit", " , ")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "other,cellule:kit")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "other cellule:kit")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "other, \tcellule:*")).toBe(true);
  });

  it("takes regular-expression characters literally", () => {
    expect(namespaceEnabled("cellule:kit", "cellule.kit")).toBe(false);
    expect(namespaceEnabled("a.b", "a.b")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "(cellule:kit)")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "cellule:kit|x")).toBe(false);
  });

  it("excludes what a -name matches, whatever the order, so an exclusion always wins", () => {
    expect(namespaceEnabled("cellule:kit", "cellule:*,-cellule:kit")).toBe(false);
    expect(namespaceEnabled("cellule:relay-client", "cellule:*,-cellule:kit")).toBe(true);
    expect(namespaceEnabled("cellule:kit", "-cellule:kit,cellule:*")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "cellule:kit -cellule:*")).toBe(false);
    expect(namespaceEnabled("cellule:relay-client", "*,-cellule:relay*")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "*,-cellule:relay*")).toBe(true);
  });

  it("turns nothing on with exclusions alone, and ignores a lone -", () => {
    expect(namespaceEnabled("cellule:kit", "-cellule:relay")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "-")).toBe(false);
    expect(namespaceEnabled("cellule:kit", "cellule:*,-")).toBe(true);
  });
});

describe("createLogger", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function spies() {
    return {
      debug: vi.spyOn(console, "debug").mockImplementation(() => {}),
      info: vi.spyOn(console, "info").mockImplementation(() => {}),
      warn: vi.spyOn(console, "warn").mockImplementation(() => {}),
      error: vi.spyOn(console, "error").mockImplementation(() => {}),
    };
  }

  it("prints debug and info lines, prefixed with the namespace, when the pattern turns it on", () => {
    const c = spies();
    const log = createLogger("cellule:kit", { pattern: "cellule:*" });
    const detail = new Error("detail");
    log.debug("d", 1);
    log.info("i", detail);
    expect(c.debug).toHaveBeenCalledWith("cellule:kit d", 1);
    expect(c.info).toHaveBeenCalledWith("cellule:kit i", detail);
  });

  it("drops debug and info lines of an excluded namespace, and always prints warnings and errors", () => {
    const c = spies();
    const log = createLogger("cellule:kit", { pattern: "cellule:*,-cellule:kit" });
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e", "x");
    expect(c.debug).not.toHaveBeenCalled();
    expect(c.info).not.toHaveBeenCalled();
    expect(c.warn).toHaveBeenCalledWith("cellule:kit w");
    expect(c.error).toHaveBeenCalledWith("cellule:kit e", "x");
  });

  it("reads DEBUG from the environment when given no pattern", () => {
    const c = spies();
    vi.stubEnv("DEBUG", "cellule:relay-client,-cellule:kit");
    try {
      createLogger("cellule:relay-client").debug("on");
      createLogger("cellule:kit").debug("off");
    } finally {
      vi.unstubAllEnvs();
    }
    expect(c.debug).toHaveBeenCalledTimes(1);
    expect(c.debug).toHaveBeenCalledWith("cellule:relay-client on");
  });
});
