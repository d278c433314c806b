/**
 * `npm run app:sign` (demo/app-sign.ts): signs the files of a built member space with the release key file
 * that CELLULE_RELEASE_KEY names, and says so with a typed error when no key, or no key file, is given.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newReleaseKey, type Release, ReleaseKeyError, verifyRelease } from "../elements/cell-app/release.js";
import { signAppDir } from "./app-sign.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("app-sign", () => {
  it("writes release.json: every file but itself and relays.json, signed by the release key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellule-app-sign-"));
    dirs.push(dir);
    await writeFile(join(dir, "index.html"), "<!doctype html>");
    await writeFile(join(dir, "cellule-app.js"), "console.log(1)");
    await writeFile(join(dir, "relays.json"), '{"relays":[]}');
    const keyFile = join(dir, "..", `${dir.split("/").pop()}.jwk`);
    await writeFile(keyFile, await newReleaseKey());
    dirs.push(keyFile);

    await expect(signAppDir(dir, undefined)).rejects.toBeInstanceOf(ReleaseKeyError);
    await expect(signAppDir(dir, join(dir, "absent.jwk"))).rejects.toBeInstanceOf(ReleaseKeyError);
    await expect(signAppDir(dir, join(dir, "index.html"))).rejects.toBeInstanceOf(ReleaseKeyError);

    const written = await signAppDir(dir, keyFile);
    const release = JSON.parse(await readFile(join(dir, "release.json"), "utf8")) as Release;
    expect(release).toEqual(written);
    expect(Object.keys(release.files).sort()).toEqual(["cellule-app.js", "index.html"]);
    expect(await verifyRelease(release, release.key)).toBe(true);
    // Signing again (release.json now in the directory) leaves it out and signs the same files.
    expect(Object.keys((await signAppDir(dir, keyFile)).files).sort()).toEqual([
      "cellule-app.js",
      "index.html",
    ]);
    // One hash changed: no longer verifies.
    const changed = { ...release, files: { ...release.files, "index.html": "00".repeat(32) } };
    expect(await verifyRelease(changed, release.key)).toBe(false);
  });
});
