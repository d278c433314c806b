/**
 * File names for storage key parts and keystore names. The encoding is injective, reversible and safe on
 * any filesystem: one name per part, `[a-z0-9_-]` kept, every other UTF-8 byte written `%XX` (uppercase
 * hex). So no name is `.` or `..` or contains a separator, upper case letters never meet their lower case
 * counterparts on case-insensitive filesystems (macOS, Windows), no Unicode normalisation applies, and
 * every name containing a `.` is free for the adapter's own files.
 */
import { InvalidArgumentError } from "../../core/base/errors.js";

/** Longest file name most filesystems accept, in bytes. */
export const NAME_MAX = 255;

const KEEP = /^[a-z0-9_-]$/;
/** A name the encoder can produce: kept characters and `%XX` escapes, or the lone `%` of the empty part. */
const ENCODED = /^(?:%|(?:[a-z0-9_-]|%[0-9A-F]{2})+)$/;
/** Device names Windows reserves whatever the extension. */
const RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)$/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The file name of one key part. The empty part is `%` (no other encoding is a lone `%`).
 * `InvalidArgumentError` for a part with a lone UTF-16 surrogate (it has no UTF-8 form) or whose name
 * would exceed `maxLength` bytes.
 */
export function encodePart(part: string, maxLength = NAME_MAX): string {
  if (typeof part !== "string")
    throw new InvalidArgumentError(`a key part must be a string, got ${typeof part}`);
  if (part === "") return "%";
  if (LONE_SURROGATE.test(part)) {
    throw new InvalidArgumentError(
      `key part ${JSON.stringify(part)} has a lone UTF-16 surrogate; use valid text`,
    );
  }
  let name = "";
  for (const byte of encoder.encode(part)) {
    const c = String.fromCharCode(byte);
    name += KEEP.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  // Escape the last character of a reserved device name so `con` stays an ordinary file on Windows.
  if (RESERVED.test(name))
    name = `${name.slice(0, -1)}%${name
      .charCodeAt(name.length - 1)
      .toString(16)
      .toUpperCase()}`;
  if (name.length > maxLength) {
    throw new InvalidArgumentError(
      `key part ${JSON.stringify(part.slice(0, 40))}… is too long for a file name (${name.length} bytes ` +
        `encoded, ${maxLength} at most): use shorter key parts`,
    );
  }
  return name;
}

/** The key part a file name encodes, or `undefined` for a name the encoder never produces. */
export function decodePart(name: string): string | undefined {
  if (!ENCODED.test(name)) return undefined;
  if (name === "%") return "";
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name[i] === "%") {
      bytes.push(Number.parseInt(name.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(name.charCodeAt(i));
    }
  }
  let part: string;
  try {
    part = decoder.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
  // Only the canonical form counts (`%61` is not another name for `a`).
  try {
    return encodePart(part, Number.POSITIVE_INFINITY) === name ? part : undefined;
  } catch {
    return undefined;
  }
}
