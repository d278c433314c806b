/**
 * Tiny assertions for the acceptance suites. They throw a plain `Error` with a message that says what was
 * expected, so the suites run unchanged under vitest in Node and under mocha in a browser (no `node:assert`).
 */

/** Short printable form of a value for failure messages. */
export function show(value: unknown): string {
  if (value instanceof Uint8Array) {
    const head = Array.from(value.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
    return `${value.constructor.name}(${value.length}) [${head}${value.length > 16 ? " …" : ""}]`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `condition` is truthy. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Throws unless `actual === expected`. */
export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Throws unless `actual` is `undefined`. */
export function isUndefined(actual: unknown, what: string): void {
  if (actual !== undefined) throw new Error(`${what}: expected undefined, got ${show(actual)}`);
}

/**
 * Throws unless `actual` is a plain `Uint8Array` (not a subclass such as Node's `Buffer`) holding exactly
 * the bytes of `expected`.
 */
export function bytesEqual(actual: unknown, expected: Uint8Array, what: string): void {
  if (!(actual instanceof Uint8Array)) throw new Error(`${what}: expected bytes, got ${show(actual)}`);
  if (Object.getPrototypeOf(actual) !== Uint8Array.prototype) {
    throw new Error(`${what}: expected a plain Uint8Array, got a ${actual.constructor.name}`);
  }
  if (actual.length !== expected.length) {
    throw new Error(`${what}: expected ${expected.length} bytes, got ${actual.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      throw new Error(`${what}: bytes differ at offset ${i}: expected ${expected[i]}, got ${actual[i]}`);
    }
  }
}

/** JSON with object keys sorted and bytes spelled out, so equal values always print the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { bytes: Array.from(v) };
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/**
 * Throws unless two JSON-like values (strings, numbers, booleans, null, arrays, plain objects, bytes) are
 * structurally equal. Object key order does not matter; array order does.
 */
export function deepEqual(actual: unknown, expected: unknown, what: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/**
 * Awaits `action` and throws unless it rejects, with an instance of `type` when given. Returns the error
 * so the caller can check its message or code.
 */
export async function rejects(
  action: () => Promise<unknown>,
  type: (abstract new (...args: any[]) => Error) | undefined,
  what: string,
): Promise<Error> {
  let result: unknown;
  try {
    result = await action();
  } catch (error) {
    if (type && !(error instanceof type)) {
      const got = error instanceof Error ? `${error.name}: ${error.message}` : show(error);
      throw new Error(`${what}: expected a ${type.name}, got ${got}`);
    }
    return error instanceof Error ? error : new Error(String(error));
  }
  throw new Error(`${what}: expected a rejection${type ? ` with ${type.name}` : ""}, got ${show(result)}`);
}
