/**
 * Signs the member space built in `dist/app/` (`npm run build`): writes `dist/app/release.json`, the app's
 * files with their SHA-256, signed by the release key in the file that `CELLULE_RELEASE_KEY` names (see
 * elements/cell-app/release.ts; the service worker installs only updates signed by the key it first saw).
 *
 *     npm run app:sign -- --new-key ~/cell-release.jwk     # once: a new release key (keep it secret)
 *     CELLULE_RELEASE_KEY=~/cell-release.jwk npm run app:sign [-- <dir>]
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  importReleaseKey,
  newReleaseKey,
  ReleaseKeyError,
  signRelease,
} from "../elements/cell-app/release.js";

/** Signs the app in `dir` with the key file at `keyPath`; returns the release written to `dir/release.json`. */
export async function signAppDir(dir: string, keyPath: string | undefined) {
  if (!keyPath)
    throw new ReleaseKeyError(
      "no release key: set CELLULE_RELEASE_KEY to the key file (make one with `npm run app:sign -- --new-key <file>`)",
    );
  let text: string;
  try {
    text = await readFile(keyPath, "utf8");
  } catch (cause) {
    throw new ReleaseKeyError(`cannot read the release key file ${keyPath}`, { cause });
  }
  const keys = await importReleaseKey(text);
  const files: Record<string, Uint8Array> = {};
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isFile()) files[entry.name] = await readFile(join(dir, entry.name));
  const release = await signRelease(files, keys);
  await writeFile(join(dir, "release.json"), `${JSON.stringify(release, null, 2)}\n`);
  return release;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, "/"))) {
  const args = process.argv.slice(2);
  try {
    if (args[0] === "--new-key") {
      if (!args[1]) throw new ReleaseKeyError("--new-key needs the path of the key file to write");
      await writeFile(args[1], await newReleaseKey(), { mode: 0o600, flag: "wx" });
      console.log(`new release key written to ${args[1]} (keep it secret; its loss means a new key)`);
    } else {
      const dir = args[0] ?? "dist/app";
      const release = await signAppDir(dir, process.env.CELLULE_RELEASE_KEY);
      console.log(`${dir}/release.json: ${Object.keys(release.files).length} files, key ${release.key}`);
    }
  } catch (error) {
    console.error(`cellule app-sign: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
