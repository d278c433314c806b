/**
 * CPace, a balanced PAKE (draft-irtf-cfrg-cpace), over ristretto255 with SHA-512 (@noble/curves): two
 * devices that share a low-entropy secret (a link code typed by hand) agree on a key that someone who
 * records their messages cannot test password guesses against offline. Each guess needs a live session,
 * and a session that fails tells the other side so.
 *
 *   g   = element_derivation(SHA-512(lv_cat("CPaceRistretto255", PRS, zpad, CI, sid)))
 *   Y_x = y_x · g                                       (each side's message, 32 bytes)
 *   K   = y_a · Y_b = y_b · Y_a                         (refused when it is the identity)
 *   ISK = SHA-512(lv_cat("CPaceRistretto255_ISK", sid, K) ‖ lv_cat(Y_a, AD_a) ‖ lv_cat(Y_b, AD_b))
 * (the initiator-responder transcript). The draft's test vectors are checked in cpace.test.ts.
 */
import { ristretto255, ristretto255_hasher } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { concat, randomBytes, utf8 } from "../base/bytes.js";
import { IntegrityError, UnavailableError } from "../base/errors.js";

const DSI = utf8("CPaceRistretto255");
const DSI_ISK = utf8("CPaceRistretto255_ISK");
/** SHA-512's input block size. */
const S_IN_BYTES = 128;
const Point = ristretto255.Point;
/** RFC 9496's element derivation: 64 uniform bytes to a group element. */
const derive = ristretto255_hasher.deriveToCurve;
const order = Point.Fn.ORDER;

function leb128(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

const prependLen = (b: Uint8Array) => concat(leb128(b.length), b);
const lvCat = (...parts: Uint8Array[]) => concat(...parts.map(prependLen));

/** The session's generator, from the shared secret (PRS), the channel identifier (CI) and the session ID. */
function generator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array) {
  const zpad = Math.max(0, S_IN_BYTES - 1 - prependLen(prs).length - prependLen(DSI).length);
  const generatorString = lvCat(DSI, prs, new Uint8Array(zpad), ci, sid);
  if (!derive) throw new UnavailableError("@noble/curves has no ristretto255 element derivation");
  return derive(sha512(generatorString));
}

/** The session's generator as bytes (for the draft's test vectors). */
export function cpaceGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  return generator(prs, ci, sid).toBytes();
}

function scalarFrom(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n % order;
}

/** One side of a CPace run. */
export class CPace {
  private readonly y: bigint;
  /** This side's message (`Y`), to send to the other side. */
  readonly message: Uint8Array;

  /**
   * Starts a run. `scalar` (32 bytes, little endian) is for test vectors only: by default a fresh random
   * one (64 random bytes reduced modulo the group order, so it is uniform).
   */
  constructor(
    private readonly input: { prs: Uint8Array; ci: Uint8Array; sid: Uint8Array },
    scalar?: Uint8Array,
  ) {
    let y = scalarFrom(scalar ?? randomBytes(64));
    while (y === 0n) y = scalarFrom(randomBytes(64));
    this.y = y;
    this.message = generator(input.prs, input.ci, input.sid).multiply(y).toBytes();
  }

  /**
   * The key both sides share, from the other side's message; `initiator` says which side spoke first (the
   * transcript orders the messages by it). `IntegrityError` for a message that is not a group element or
   * that gives the identity.
   */
  finish(other: Uint8Array, ad: { mine: Uint8Array; theirs: Uint8Array }, initiator: boolean): Uint8Array {
    let point: ReturnType<typeof Point.fromBytes>;
    try {
      point = Point.fromBytes(other);
    } catch (cause) {
      throw new IntegrityError("a PAKE message that is not a ristretto255 element", { cause });
    }
    const k = point.multiply(this.y);
    if (k.is0()) throw new IntegrityError("a PAKE message that gives the identity");
    const [a, adA, b, adB] = initiator
      ? [this.message, ad.mine, other, ad.theirs]
      : [other, ad.theirs, this.message, ad.mine];
    return sha512(concat(lvCat(DSI_ISK, this.input.sid, k.toBytes()), lvCat(a, adA), lvCat(b, adB)));
  }
}
