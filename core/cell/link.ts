/**
 * Linking a second device to a member (DESIGN §7): the trusted device shows a short-lived code (and a QR
 * code of it); the new device enters it; the person compares a check code; the trusted device certifies
 * the new one in the cell's log and hands over the keys.
 *
 *   code     10 Crockford base32 characters (50 bits), shown as `ABCDE-FGHJK`, valid 5 minutes
 *   secret   HKDF-SHA-256(code, salt "cellule/link/v1", info "secret") → 32 bytes: a sealed scope of its own,
 *            so relays see an opaque topic and ciphertext, nothing of the cell or of either device
 *   1. new → trusted      hello      { t: "hello", agreement }        (the envelope's signature proves the
 *                                                                      new device holds its signing key)
 *   2. trusted → new      challenge  { t: "challenge", device, nonce, expires }
 *      both show         check code = 6 digits of HKDF(secret, salt "cellule/link/v1/check",
 *                                                        info = new device's signing key ‖ nonce)
 *   3. the person types the new device's check code on the trusted device; if it matches, the trusted
 *      device writes `add-device` and `share-keys` ops, sends the whole log under the link scope, then
 *      `{ t: "done", ops }` with the number of ops sent (they may arrive in any order).
 * The nonce is chosen after the hello arrives, so someone who overheard the code cannot grind a key whose
 * check code matches; a wrong code, or an expired one, links nothing.
 */
import { concat, fromBase64, fromUtf8, randomBytes, toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { Emitter } from "../base/emitter.js";
import { CheckCodeError, ExpiredLinkError, IntegrityError, InvalidArgumentError } from "../base/errors.js";
import type { DeviceId, ScopeId } from "../base/ids.js";
import { hkdf, sha256 } from "../crypto/suite.js";
import { readOps } from "../governance/ops.js";
import type { DeviceKeysPublic, SignedOp } from "../governance/types.js";
import type { Kit } from "../kit/kit.js";
import type { OpenedEnvelope } from "../protocol/envelope.js";

/** How long a link code is valid. */
export const LINK_TTL_MS = 5 * 60_000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH = 10;
const SALT = utf8("cellule/link/v1");
const CHECK_SALT = utf8("cellule/link/v1/check");

/** The sealed scope two devices talk through while linking. */
export interface LinkChannel {
  secret: Uint8Array;
  /** Kit scope ID (`link:<hex>`), also the envelopes' document ID. */
  scope: ScopeId;
}

/** A new device asking to be linked, as the trusted device sees it. */
export interface LinkRequest {
  device: DeviceId;
  keys: DeviceKeysPublic;
  /** The 6 digits the new device shows: the person types them on the trusted device. */
  checkCode: string;
}

/** What the trusted device's cell does for a confirmed link. */
export interface LinkHost {
  readonly kit: Kit;
  /** Certifies the device for this device's member (`add-device`, then the keys it reads). */
  certify(keys: DeviceKeysPublic): Promise<void>;
  /** Sends the whole log under a scope; resolves to the number of ops sent. */
  sendLog(scope: ScopeId, docId: string): Promise<number>;
}

/** A new random link code, `ABCDE-FGHJK`. */
export function newLinkCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

/** The code as typed (any case, spaces or dashes, O for 0, I or L for 1) in canonical form. */
export function normalizeLinkCode(code: string): string {
  const s = code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (s.length !== CODE_LENGTH || [...s].some((c) => !ALPHABET.includes(c))) {
    throw new InvalidArgumentError(`a link code is ${CODE_LENGTH} letters and digits, e.g. ABCDE-FGHJK`);
  }
  return s;
}

/** The channel a code opens. */
export async function linkChannel(code: string): Promise<LinkChannel> {
  const secret = await hkdf(utf8(normalizeLinkCode(code)), SALT, utf8("secret"), 32);
  const id = toHex(await sha256(secret)).slice(0, 32);
  return { secret, scope: `link:${id}` as ScopeId };
}

/** The 6-digit check code both devices show. */
export async function checkCode(
  secret: Uint8Array,
  signingKey: Uint8Array,
  nonce: Uint8Array,
): Promise<string> {
  const bytes = await hkdf(secret, CHECK_SALT, concat(signingKey, nonce), 4);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  return String(n % 1_000_000).padStart(6, "0");
}

type LinkMessage =
  | { t: "hello"; agreement: string }
  | { t: "challenge"; device: string; nonce: string; expires: number }
  | { t: "done"; ops: number };

const encode = (m: LinkMessage) => utf8(JSON.stringify(m));
const isOpBytes = (item: Uint8Array) => item[0] === 0x7b && fromUtf8(item.subarray(0, 8)) === '{"body":';

function decode(item: Uint8Array): LinkMessage {
  let m: LinkMessage;
  try {
    m = JSON.parse(fromUtf8(item));
  } catch {
    throw new IntegrityError("a link message is not JSON");
  }
  if (m?.t === "hello" && typeof m.agreement === "string") return m;
  if (m?.t === "done" && Number.isSafeInteger(m.ops)) return m;
  if (
    m?.t === "challenge" &&
    typeof m.device === "string" &&
    typeof m.nonce === "string" &&
    typeof m.expires === "number"
  )
    return m;
  throw new IntegrityError("a malformed link message");
}

/** The trusted device's side of a link: collects requests, links the one whose check code is typed. */
export class LinkOffer extends Emitter<{ request: (request: LinkRequest) => void }> {
  private readonly pending = new Map<DeviceId, LinkRequest>();
  private readonly off: () => void;
  private done = false;

  constructor(
    private readonly host: LinkHost,
    /** The code to show (and to put in a QR code). */
    readonly code: string,
    /** When the code stops working (ms since the epoch). */
    readonly expires: number,
    private readonly channel: LinkChannel,
  ) {
    super();
    this.off = host.kit.onGovernance(channel.scope, (opened) => this.receive(opened));
  }

  /** New devices that answered so far. */
  requests(): LinkRequest[] {
    return [...this.pending.values()];
  }

  /**
   * Links the device whose check code was typed. `ExpiredLinkError` after the code's expiry,
   * `CheckCodeError` when no answering device shows that code; nothing is linked then.
   */
  async confirm(typed: string): Promise<DeviceId> {
    if (this.done || this.host.kit.clock.now() > this.expires)
      throw new ExpiredLinkError("this link code has expired: start again");
    const digits = typed.replace(/\s/g, "");
    const request = this.requests().find((r) => r.checkCode === digits);
    if (!request)
      throw new CheckCodeError("this check code is not the one the new device shows: nothing was linked");
    this.close();
    await this.host.certify(request.keys);
    const ops = await this.host.sendLog(this.channel.scope, this.channel.scope);
    await this.host.kit.publishGovernance(this.channel.scope, this.channel.scope, [
      encode({ t: "done", ops }),
    ]);
    return request.device;
  }

  /** Stops listening; the code no longer works. */
  close(): void {
    this.done = true;
    this.off();
  }

  private async receive(opened: OpenedEnvelope): Promise<void> {
    if (this.done || this.host.kit.clock.now() > this.expires)
      throw new ExpiredLinkError("a link answer after the code expired");
    for (const item of opened.body.items) {
      const m = decode(item);
      if (m.t !== "hello" || this.pending.has(opened.body.authorId)) continue;
      const nonce = randomBytes(16);
      const request: LinkRequest = {
        device: opened.body.authorId,
        keys: { signing: toBase64Url(opened.body.author), agreement: m.agreement },
        checkCode: await checkCode(this.channel.secret, opened.body.author, nonce),
      };
      this.pending.set(request.device, request);
      const challenge = encode({
        t: "challenge",
        device: request.device,
        nonce: toBase64Url(nonce),
        expires: this.expires,
      });
      await this.host.kit.publishGovernance(this.channel.scope, this.channel.scope, [challenge]);
      this.emit("request", request);
    }
  }
}

/** Opens a link offer on the trusted device. */
export async function offerLink(host: LinkHost, ttlMs = LINK_TTL_MS): Promise<LinkOffer> {
  const code = newLinkCode();
  const channel = await linkChannel(code);
  await host.kit.addScope(channel.scope, channel.secret);
  return new LinkOffer(host, code, host.kit.clock.now() + ttlMs, channel);
}

/**
 * The new device's side: answers the code, shows the check code when the trusted device challenges it,
 * and gathers the log it is sent until all of it has arrived. Both promises reject with
 * `ExpiredLinkError` when nothing comes within `timeoutMs`; `InvalidArgumentError` for a code that cannot
 * be one.
 */
export async function answerLink(
  kit: Kit,
  code: string,
  timeoutMs = LINK_TTL_MS,
): Promise<{ checkCode: Promise<string>; log: Promise<SignedOp[]> }> {
  const channel = await linkChannel(code);
  const shown = deferred<string>();
  const log = deferred<SignedOp[]>();
  const ops = new Map<string, SignedOp>();
  let expected = Number.POSITIVE_INFINITY;
  const off = kit.onGovernance(channel.scope, async (opened) => {
    for (const op of await readOps(opened.body.items.filter(isOpBytes))) ops.set(op.hash, op);
    for (const item of opened.body.items) {
      if (isOpBytes(item)) continue;
      const m = decode(item);
      if (m.t === "done") expected = m.ops;
      if (m.t === "challenge" && m.device === kit.device.id) {
        shown.resolve(await checkCode(channel.secret, kit.device.signingPublicKey, fromBase64(m.nonce)));
      }
    }
    if (ops.size >= expected) {
      finish();
      log.resolve([...ops.values()]);
    }
  });
  const timer = setTimeout(() => {
    finish();
    const error = new ExpiredLinkError("no trusted device completed this link in time");
    shown.reject(error);
    log.reject(error);
  }, timeoutMs);
  const finish = () => {
    clearTimeout(timer);
    off();
  };
  await kit.addScope(channel.scope, channel.secret);
  await kit.publishGovernance(channel.scope, channel.scope, [
    encode({ t: "hello", agreement: toBase64Url(kit.device.agreementPublicKey) }),
  ]);
  return { checkCode: shown.promise, log: log.promise };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // Settled promises nobody awaits must not be reported as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
