/** Types of chromium.mjs, for the TypeScript tests that launch Chromium. */
export declare const CHROMIUM_CANDIDATES: string[];
export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(
  env?: NodeJS.ProcessEnv,
): { path: string; error?: undefined } | { path?: undefined; error: string };
