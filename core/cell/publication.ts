/**
 * Custody of a cell's publication keys, through its governance log. The edition signing key and the
 * admission key (to which visitors seal contact requests) are shared by every reader of the `officers`
 * scope who may `publish`: each link of the publication chain is a `publication` op carrying its
 * certificate and its two private keys sealed under the officers scope's epoch key:
 * ```
 * key = HKDF-SHA-256(epoch secret, salt = "cellule/v1/publication", info, 32)
 * box = iv(12) ‖ AES-256-GCM(key, iv, UTF-8 JSON {signing, admission: base64url PKCS#8}, aad = info)
 * info = "cellule/v1/publication\n<cell>\n<index>\n<scope>\n<epoch>"
 * ```
 * The founder's device makes link 0 when it founds the cell. When the officers scope rotates (someone who
 * could read it left), the publication keys are stale too: the first officer who may publish makes the
 * next link, certified by the previous signing key, sealed under the new epoch. Contact requests sealed to
 * an older admission key stay readable: every link's keys remain in the log.
 */
import { fromBase64, fromUtf8, randomBytes, toBase64Url, utf8 } from "../base/bytes.js";
import { ForbiddenError, IntegrityError, NotAMemberError } from "../base/errors.js";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  generateAgreementKeyPair,
  generateSigningKeyPair,
  hkdf,
  importAesKey,
  importVerifyKey,
} from "../crypto/suite.js";
import { writeOp } from "../governance/actions.js";
import { hasRight } from "../governance/rules.js";
import type { PublicationLink, PublicationState } from "../governance/types.js";
import { CERT_VALIDITY_MS, type PublicationCert } from "../protocol/edition-format.js";
import { envelopeHash } from "../protocol/envelope.js";
import { certifyPublication, type PublicationKeys } from "../protocol/publication-cert.js";
import { contactTopic, type OpenedContact, openContact } from "../public/contact.js";
import type { CellContext } from "./context.js";
import type { CellKeys } from "./keys.js";

/** The sealed scope whose readers hold the publication keys. */
export const PUBLICATION_SCOPE = "officers";
const SALT = utf8("cellule/v1/publication");
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
const ECDH = { name: "ECDH", namedCurve: "P-256" };

/** A contact request as an officer's device received it. */
export interface ReceivedContact extends OpenedContact {
  /** Content address of the sealed request (stable: use it as the request's ID). */
  id: string;
}

interface OpenedLink {
  signing: CryptoKey;
  admission: CryptoKey;
}

function info(cell: string, index: number, link: { scope: string; epoch: number }): Uint8Array {
  return utf8(`cellule/v1/publication\n${cell}\n${index}\n${link.scope}\n${link.epoch}`);
}

async function boxKey(secret: Uint8Array, aad: Uint8Array): Promise<CryptoKey> {
  return importAesKey(await hkdf(secret, SALT, aad, 32));
}

async function pkcs8(key: CryptoKey): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.exportKey("pkcs8", key)));
}

/** See the module comment. */
export class CellPublication {
  private readonly opened = new Map<string, Promise<OpenedLink>>();
  private watching = false;
  private renewing = false;

  constructor(
    private readonly ctx: CellContext,
    private readonly scopeKeys: CellKeys,
  ) {}

  /** The publication chain, link by link (what editions carry). */
  chain(): PublicationState[] {
    return this.ctx.log().state().publication;
  }

  /** Whether this device's member may publish and holds the key of the chain's last link. */
  canPublish(): boolean {
    const me = this.ctx.me();
    const last = this.chain().at(-1);
    return (
      me?.status === "member" &&
      hasRight(this.ctx.log().state().rules, me.roles, "publish") &&
      !!last &&
      this.scopeKeys.secretsOf(last.scope, last.epoch).length > 0
    );
  }

  /**
   * The keys a `Publisher` signs editions with, renewed first (a new link) when the last certificate has
   * less than half its validity left (a quarter, on devices of other members than the first who may
   * publish), so that relays and contact forms never see it end while the cell publishes. `ForbiddenError` if this device does not hold them.
   */
  async keys(): Promise<PublicationKeys> {
    if (!this.canPublish()) throw new ForbiddenError("this device does not hold the cell's publication keys");
    const expires = this.chain().at(-1)!.cert.expires;
    const now = this.ctx.kit.clock.now();
    // Two devices renewing at once make two links with one index, and relays keep whichever came first: the
    // first member who may publish renews at half the validity, the others only when a quarter is left.
    const due = this.firstPublisher() ? CERT_VALIDITY_MS / 2 : CERT_VALIDITY_MS / 4;
    if (!(expires - now >= due) && !this.renewing) {
      this.renewing = true;
      try {
        await this.next();
      } catch (error) {
        // Not renewed now (e.g. this device cannot read the officers' newest epoch yet): the key still
        // serves until its end, and the next edition tries again.
        if (!(expires > now)) throw error;
      } finally {
        this.renewing = false;
      }
    }
    const chain = this.chain();
    const last = await this.open(chain.at(-1)!, chain.length - 1);
    const publicKey = await importVerifyKey(fromBase64(chain.at(-1)!.cert.key));
    return { signing: { privateKey: last.signing, publicKey }, chain: chain.map((l) => l.cert) };
  }

  /**
   * The index of the first link of `chain` (an edition's, as a relay serves it) that this cell's log did not
   * make, e.g. a past key holder's fork; `undefined` when every link is one of the log's `publication` ops.
   */
  foreignLink(chain: readonly PublicationCert[]): number | undefined {
    const links = this.chain();
    const same = (a: PublicationCert, b: PublicationCert) =>
      a.key === b.key &&
      a.admission === b.admission &&
      a.expires === b.expires &&
      a.heads === b.heads &&
      a.sig === b.sig;
    const i = chain.findIndex((c, i) => {
      const l = links[i];
      return !l || ![l, ...l.alternates].some((x) => same(x.cert, c));
    });
    return i === -1 ? undefined : i;
  }

  /** Link 0, from the founder's device when it founds the cell, if the rules let the founder publish. */
  async found(): Promise<void> {
    const state = this.ctx.log().state();
    const me = this.ctx.me();
    if (me && PUBLICATION_SCOPE in state.rules.scopes && hasRight(state.rules, me.roles, "publish"))
      await this.next();
  }

  /** Makes the next link of the chain (link 0 from the founder device when the cell is founded). */
  async next(): Promise<void> {
    const log = this.ctx.log();
    const chain = this.chain();
    const epoch = log.state().scopes.get(PUBLICATION_SCOPE)?.at(-1)?.epoch;
    const secret = epoch === undefined ? undefined : this.scopeKeys.secret(PUBLICATION_SCOPE, epoch);
    if (!secret || epoch === undefined)
      throw new NotAMemberError("this device cannot read the officers scope");
    const signing = await generateSigningKeyPair(true);
    const admission = await generateAgreementKeyPair(true);
    const by =
      chain.length === 0 ? this.ctx.kit.device : (await this.open(chain.at(-1)!, chain.length - 1)).signing;
    const certs = chain.map((l) => l.cert);
    const cert = await certifyPublication(this.ctx.id, certs, by, signing.publicKey, admission.publicKey, {
      expires: this.ctx.kit.clock.now() + CERT_VALIDITY_MS,
      heads: log.heads(),
    });
    const link = { scope: PUBLICATION_SCOPE, epoch };
    const aad = info(this.ctx.id, chain.length, link);
    const iv = randomBytes(12);
    const plain = utf8(
      JSON.stringify({
        signing: await pkcs8(signing.privateKey),
        admission: await pkcs8(admission.privateKey),
      }),
    );
    const sealed = await aesGcmEncrypt(await boxKey(secret, aad), iv, plain, aad);
    const box = toBase64Url(new Uint8Array([...iv, ...sealed]));
    await this.ctx.commit(
      await writeOp(this.ctx.kit.device, log, {
        type: "publication",
        index: chain.length,
        cert,
        ...link,
        box,
      }),
    );
  }

  /**
   * Makes the next link when the last one was sealed under an officers epoch that has since rotated (its
   * keys may be held by someone who left). One device does it: this one if its op caused it (`mine`),
   * otherwise the first member, by ID, who may publish.
   */
  async renewIfStale(mine = false): Promise<void> {
    const state = this.ctx.log().state();
    const last = state.publication.at(-1);
    const current = state.scopes.get(PUBLICATION_SCOPE)?.at(-1)?.epoch;
    if (!last || current === undefined || last.epoch >= current || !this.canRenew(current)) return;
    if (this.renewing || !(mine || this.firstPublisher())) return;
    this.renewing = true;
    try {
      await this.next();
    } finally {
      this.renewing = false;
    }
  }

  /** Whether this device's member is the first, by ID, of the members who may publish. */
  private firstPublisher(): boolean {
    const state = this.ctx.log().state();
    const publishers = [...state.members.values()]
      .filter((m) => m.status === "member" && hasRight(state.rules, m.roles, "publish"))
      .map((m) => m.id)
      .sort();
    return publishers[0] === this.ctx.me()?.id;
  }

  private canRenew(epoch: number): boolean {
    const last = this.chain().at(-1)!;
    return (
      hasRight(this.ctx.log().state().rules, this.ctx.me()?.roles ?? [], "publish") &&
      !!this.scopeKeys.secret(PUBLICATION_SCOPE, epoch) &&
      this.scopeKeys.secretsOf(last.scope, last.epoch).length > 0
    );
  }

  /**
   * Receives contact requests from the cell's inbox topic once this device can open them (call again
   * after changes: it starts once). Each new, valid request goes to `onContact`; others are refused.
   */
  async watchInbox(onContact: (contact: ReceivedContact) => void): Promise<void> {
    if (this.watching || !this.canPublish()) return;
    this.watching = true;
    this.ctx.kit.watchTopic(await contactTopic(this.ctx.id), async (bytes) => {
      onContact({ ...(await this.openContact(bytes)), id: await envelopeHash(bytes) });
    });
  }

  /** The contact requests this device received, newest first (those it cannot open are left out). */
  async contacts(): Promise<ReceivedContact[]> {
    const stored = await this.ctx.kit.envelopes(await contactTopic(this.ctx.id));
    const opened = await Promise.all(
      stored.map(async (bytes) => {
        try {
          return [{ ...(await this.openContact(bytes)), id: await envelopeHash(bytes) }];
        } catch {
          return [];
        }
      }),
    );
    return opened.flat().sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
  }

  /**
   * Opens a sealed contact request of this cell. `IntegrityError` if it is malformed, altered, foreign or
   * sealed to an admission key this device cannot open.
   */
  async openContact(bytes: Uint8Array): Promise<OpenedContact> {
    const index = bytes.length >= 38 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(34) : -1;
    const link = this.chain()[index];
    const links = link ? [link, ...link.alternates] : [];
    const opened = await Promise.all(links.map((l) => this.open(l, index).catch(() => undefined)));
    const keys = opened.flatMap((o) => (o ? [o.admission] : []));
    return openContact(bytes, this.ctx.id, (i) => (i === index ? keys : []));
  }

  /** A link's private keys, opened once. */
  private open(link: PublicationLink, index: number): Promise<OpenedLink> {
    let opened = this.opened.get(link.op);
    if (!opened) {
      opened = this.unseal(index, link);
      this.opened.set(link.op, opened);
      opened.catch(() => this.opened.delete(link.op));
    }
    return opened;
  }

  private async unseal(index: number, link: PublicationLink): Promise<OpenedLink> {
    const aad = info(this.ctx.id, index, link);
    const box = fromBase64(link.box);
    // Sealed under the epoch secret its author held: after concurrent rotations, maybe an alternate.
    let plain: Uint8Array | undefined;
    for (const secret of this.scopeKeys.secretsOf(link.scope, link.epoch)) {
      const key = await boxKey(secret, aad);
      plain = await aesGcmDecrypt(key, box.subarray(0, 12), box.subarray(12), aad).catch(() => undefined);
      if (plain) break;
    }
    if (!plain) throw new ForbiddenError(`this device cannot open publication link ${index}`);
    try {
      const keys = JSON.parse(fromUtf8(plain)) as { signing: string; admission: string };
      const imp = (b64: string, algorithm: EcKeyImportParams, usages: KeyUsage[]) =>
        crypto.subtle.importKey(
          "pkcs8",
          fromBase64(b64) as Uint8Array<ArrayBuffer>,
          algorithm,
          false,
          usages,
        );
      return {
        signing: await imp(keys.signing, ECDSA, ["sign"]),
        admission: await imp(keys.admission, ECDH, ["deriveBits"]),
      };
    } catch (cause) {
      throw new IntegrityError(`publication link ${index} holds unusable keys`, { cause });
    }
  }
}
