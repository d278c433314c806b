/**
 * Linking a second device to a member (DESIGN §7): the trusted device shows a short-lived code (and a QR
 * code); the new device enters it; the person compares a check code; the trusted device certifies the new
 * one in the cell's log and hands over the log and the keys.
 *
 *   code     10 Crockford base32 characters (50 bits), shown as `ABCDE-FGHJK`, typed by hand
 *   QR code  26 Crockford base32 characters (130 random bits), what the QR code carries
 *   channel  HKDF-SHA-256(code or QR secret, salt "cellule/link/v2", info "channel"): a sealed scope of its
 *            own for the exchange below (relays see an opaque topic and ciphertext)
 *   1. new → trusted      hello      { t: "hello", agreement, pake: Y_a }
 *   2. trusted → new      challenge  { t: "challenge", device, pake: Y_b, expires }
 *      Y_a, Y_b are CPace messages (crypto/cpace.ts) whose shared secret is the code (or the QR secret):
 *      both devices get the same key ISK only if both used the same code, and someone who records the
 *      channel (a relay, anyone who guesses the code offline) learns nothing of ISK. The new device's
 *      signing key is the channel identifier and the trusted device's is in the transcript, so ISK binds
 *      both devices. Both show the check code, 6 digits of HKDF(ISK).
 *   3. the person types the new device's check code on the trusted device; if it matches, the trusted
 *      device writes `add-device` and `share-keys` ops, then sends `{ t: "done", ops, box }`: `box` is a
 *      sealed box (crypto/sealed-box.ts) to the new device's agreement key from its hello, holding a fresh
 *      secret and a confirmation derived from ISK; the whole log travels under the scope of that secret.
 * Every message rides in an envelope its author signed. The new device keeps to the device whose
 * challenge it answered: a `done` or a log from any other key is refused, and the log must certify that
 * device as one of this member's and as the author of this device's `add-device`. More than one device
 * answering a code aborts the link on either side (`confirm` refuses), so nobody who saw the code can win
 * it by answering too (or first).
 */
import { fromBase64, randomBytes, toBase64Url, utf8 } from "../base/bytes.js";
import { Emitter } from "../base/emitter.js";
import { CheckCodeError, ExpiredLinkError, IntegrityError } from "../base/errors.js";
import type { DeviceId, ScopeId } from "../base/ids.js";
import { openBox, sealBox } from "../crypto/sealed-box.js";
import { GovernanceLog } from "../governance/log.js";
import { readOps } from "../governance/ops.js";
import type { DeviceKeysPublic, SignedOp } from "../governance/types.js";
import type { Kit } from "../kit/kit.js";
import type { OpenedEnvelope } from "../protocol/envelope.js";
import {
  boxAddress,
  checkCode,
  confirmation,
  decode,
  encode,
  LINK_TTL_MS,
  type LinkChannel,
  linkChannel,
  logScope,
  newLinkCode,
  pake,
  QR_LENGTH,
  randomCode,
} from "./link-channel.js";

export {
  checkCode,
  LINK_TTL_MS,
  type LinkChannel,
  linkChannel,
  newLinkCode,
  normalizeLinkCode,
} from "./link-channel.js";

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

/** An answer on the trusted device, with what it needs to finish the link. */
interface Pending extends LinkRequest {
  channel: LinkChannel;
  isk: Uint8Array;
}

/**
 * The trusted device's side of a link: answers the first new device, links it once its check code is
 * typed; a second device answering aborts the link.
 */
export class LinkOffer extends Emitter<{
  request: (request: LinkRequest) => void;
  aborted: () => void;
}> {
  private pending: Pending | undefined;
  private readonly offs: (() => void)[];
  private done = false;
  private abortedBy: DeviceId | undefined;

  constructor(
    private readonly host: LinkHost,
    /** The code to show, to type by hand. */
    readonly code: string,
    /** The secret the QR code carries (130 random bits), for `linkUrl`-style links. */
    readonly qr: string,
    /** When the code stops working (ms since the epoch). */
    readonly expires: number,
    channels: LinkChannel[],
  ) {
    super();
    this.offs = channels.map((channel) =>
      host.kit.onGovernance(channel.scope, (opened) => this.receive(channel, opened)),
    );
  }

  /** The new devices that answered so far (more than one: the link is aborted). */
  requests(): LinkRequest[] {
    if (!this.pending) return [];
    const { device, keys, checkCode } = this.pending;
    return [{ device, keys, checkCode }];
  }

  /** Whether a second device answered: nothing can be linked with this code any more. */
  get aborted(): boolean {
    return this.abortedBy !== undefined;
  }

  /**
   * Links the device whose check code was typed. `ExpiredLinkError` after the code's expiry,
   * `CheckCodeError` when the answering device does not show that code, or when more than one device
   * answered (then start again: someone else knows the code); nothing is linked then.
   */
  async confirm(typed: string): Promise<DeviceId> {
    if (this.done || this.host.kit.clock.now() > this.expires)
      throw new ExpiredLinkError("this link code has expired: start again");
    if (this.aborted)
      throw new CheckCodeError("more than one device answered this code: nothing was linked; start again");
    const digits = typed.replace(/\s/g, "");
    const request = this.pending;
    if (!request || request.checkCode !== digits)
      throw new CheckCodeError("this check code is not the one the new device shows: nothing was linked");
    this.close();
    await this.host.certify(request.keys);
    const secret = randomBytes(32);
    const scope = await logScope(secret);
    await this.host.kit.addScope(scope, secret);
    const ops = await this.host.sendLog(scope, scope);
    const box = await sealBox(
      { ...(await boxAddress(request.channel, request.device)), index: 0 },
      request.keys.agreement,
      { v: 1, secret: toBase64Url(secret), confirm: await confirmation(request.isk) },
    );
    await this.host.kit.publishGovernance(request.channel.scope, request.channel.scope, [
      encode({ t: "done", ops, box: toBase64Url(box) }),
    ]);
    return request.device;
  }

  /** Stops listening; the code no longer works. */
  close(): void {
    this.done = true;
    for (const off of this.offs) off();
  }

  private async receive(channel: LinkChannel, opened: OpenedEnvelope): Promise<void> {
    if (this.done || this.host.kit.clock.now() > this.expires)
      throw new ExpiredLinkError("a link answer after the code expired");
    const author = opened.body.authorId;
    for (const item of opened.body.items) {
      const m = decode(item);
      if (m.t !== "hello" || author === this.host.kit.device.id || this.pending?.device === author) continue;
      if (this.pending || this.aborted) {
        // A second device knows the code: link neither (M3). Told once.
        if (!this.aborted) {
          this.abortedBy = author;
          this.emit("aborted");
        }
        continue;
      }
      const mine = pake(channel, opened.body.author);
      const isk = mine.finish(
        fromBase64(m.pake),
        { mine: this.host.kit.device.signingPublicKey, theirs: utf8(m.agreement) },
        false,
      );
      this.pending = {
        device: author,
        keys: { signing: toBase64Url(opened.body.author), agreement: m.agreement },
        checkCode: await checkCode(isk),
        channel,
        isk,
      };
      const challenge = encode({
        t: "challenge",
        device: author,
        pake: toBase64Url(mine.message),
        expires: this.expires,
      });
      await this.host.kit.publishGovernance(channel.scope, channel.scope, [challenge]);
      this.emit("request", this.requests()[0]!);
    }
  }
}

/** Opens a link offer on the trusted device: a code to type and a QR code's secret, both answered. */
export async function offerLink(host: LinkHost, ttlMs = LINK_TTL_MS): Promise<LinkOffer> {
  const code = newLinkCode();
  const qr = randomCode(QR_LENGTH);
  const channels = [await linkChannel(code), await linkChannel(qr)];
  for (const c of channels) await host.kit.addScope(c.scope, c.secret);
  return new LinkOffer(host, code, qr, host.kit.clock.now() + ttlMs, channels);
}

/** What the new device received from the trusted device: the log, and who sent it. */
export interface LinkedLog {
  ops: SignedOp[];
  /** The trusted device (the author of the challenge this device answered). */
  trusted: DeviceId;
}

/**
 * Checks that a sent log certifies this device as linked by `trusted`: both active devices of one member,
 * and this device's `add-device` signed by `trusted`. `IntegrityError` otherwise (a clone log).
 */
export function checkLinkedLog(ops: readonly SignedOp[], trusted: DeviceId, me: DeviceId): void {
  const genesis = ops.find((op) => op.body.op.type === "genesis");
  if (!genesis) throw new IntegrityError("the trusted device sent no genesis");
  const log = GovernanceLog.fromGenesis(genesis);
  for (const op of ops) if (op !== genesis) log.add(op);
  const state = log.state();
  const mine = state.devices.get(me);
  const theirs = state.devices.get(trusted);
  const added = ops.find((op) => op.body.op.type === "add-device" && op.subjectId === me);
  if (
    !mine ||
    mine.removed ||
    !theirs ||
    theirs.removed ||
    mine.member !== theirs.member ||
    added?.authorId !== trusted
  )
    throw new IntegrityError("the log sent does not certify this device as linked by the device it answered");
}

/**
 * The new device's side: answers the code, shows the check code when a trusted device challenges it,
 * and gathers the log that device sends until all of it has arrived. Both promises reject with
 * `ExpiredLinkError` when nothing comes within `timeoutMs`, with `CheckCodeError` when a second device
 * answers (the link is aborted); `InvalidArgumentError` for a code that cannot be one.
 */
export async function answerLink(
  kit: Kit,
  code: string,
  timeoutMs = LINK_TTL_MS,
): Promise<{ checkCode: Promise<string>; log: Promise<LinkedLog> }> {
  const channel = await linkChannel(code);
  const shown = deferred<string>();
  const log = deferred<LinkedLog>();
  const mine = pake(channel, kit.device.signingPublicKey);
  const agreement = toBase64Url(kit.device.agreementPublicKey);
  let trusted: { device: DeviceId; isk: Uint8Array } | undefined;
  let expected: { ops: number; scope: ScopeId } | undefined;
  const ops = new Map<string, SignedOp>();
  const offs: (() => void)[] = [];

  const fail = (error: Error) => {
    finish();
    shown.reject(error);
    log.reject(error);
  };
  const complete = () => {
    if (!trusted || !expected || ops.size < expected.ops) return;
    finish();
    try {
      checkLinkedLog([...ops.values()], trusted.device, kit.device.id);
      log.resolve({ ops: [...ops.values()], trusted: trusted.device });
    } catch (error) {
      log.reject(error as Error);
    }
  };
  const onLog = async (opened: OpenedEnvelope) => {
    if (opened.body.authorId !== trusted?.device)
      throw new IntegrityError("a linked log signed by another device than the one this device answered");
    for (const op of await readOps(opened.body.items)) ops.set(op.hash, op);
    complete();
  };
  const onChannel = async (opened: OpenedEnvelope) => {
    const author = opened.body.authorId;
    if (author === kit.device.id) return;
    for (const item of opened.body.items) {
      const m = decode(item);
      if (m.t === "challenge" && m.device === kit.device.id) {
        if (trusted && trusted.device !== author) {
          fail(
            new CheckCodeError("more than one device answered this code: nothing was linked; start again"),
          );
          return;
        }
        if (trusted) continue;
        const isk = mine.finish(
          fromBase64(m.pake),
          { mine: utf8(agreement), theirs: opened.body.author },
          true,
        );
        trusted = { device: author, isk };
        shown.resolve(await checkCode(isk));
      }
      if (m.t === "done") {
        if (author !== trusted?.device || expected)
          throw new IntegrityError("a link's end from another device than the one this device answered");
        const value = await openBox(fromBase64(m.box), await boxAddress(channel, kit.device.id), [
          kit.device.agreementPrivateKey,
        ]);
        if (value.confirm !== (await confirmation(trusted.isk)) || typeof value.secret !== "string")
          throw new IntegrityError("a link's end that does not confirm the check code's key");
        const secret = fromBase64(value.secret);
        const scope = await logScope(secret);
        expected = { ops: m.ops, scope };
        offs.push(kit.onGovernance(scope, onLog));
        await kit.addScope(scope, secret);
        complete();
      }
    }
  };
  offs.push(kit.onGovernance(channel.scope, onChannel));
  const timer = setTimeout(
    () => fail(new ExpiredLinkError("no trusted device completed this link in time")),
    timeoutMs,
  );
  const finish = () => {
    clearTimeout(timer);
    for (const off of offs) off();
  };
  await kit.addScope(channel.scope, channel.secret);
  await kit.publishGovernance(channel.scope, channel.scope, [
    encode({ t: "hello", agreement, pake: toBase64Url(mine.message) }),
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
