/**
 * Device identity: an ECDSA P-256 key to sign and an ECDH P-256 key to receive sealed keys.
 * Private keys stay inside a `Keystore`; where the platform can store `CryptoKey`s (IndexedDB) they are
 * non-extractable.
 */
import { toBase64Url } from "../base/bytes.js";
import type { DeviceId } from "../base/ids.js";
import { sha256Sync } from "./hash.js";
import { exportPublicKey, sign } from "./suite.js";

/** The key pairs of one device. */
export interface DeviceKeys {
  /** ECDSA P-256: signs envelopes. */
  signing: CryptoKeyPair;
  /** ECDH P-256: opens lockboxes sealed to this device. */
  agreement: CryptoKeyPair;
}

const ids = new Map<string, Promise<DeviceId>>();

/** The device ID of a raw signing public key (cached: the same devices come back all the time). */
export function deviceIdOf(signingPublicKey: Uint8Array): Promise<DeviceId> {
  const key = String.fromCharCode(...signingPublicKey);
  let id = ids.get(key);
  if (!id) {
    if (ids.size >= 10_000) ids.clear();
    id = Promise.resolve(toBase64Url(sha256Sync(signingPublicKey)) as DeviceId);
    ids.set(key, id);
  }
  return id;
}

/** A device ready to sign: its ID, its public keys and its private signing key. */
export class DeviceIdentity {
  private constructor(
    /** The device's ID. */
    readonly id: DeviceId,
    /** 65-byte raw ECDSA P-256 public key. */
    readonly signingPublicKey: Uint8Array,
    /** 65-byte raw ECDH P-256 public key. */
    readonly agreementPublicKey: Uint8Array,
    private readonly keys: DeviceKeys,
  ) {}

  /** Builds the identity of stored keys. */
  static async fromKeys(keys: DeviceKeys): Promise<DeviceIdentity> {
    const signingPublicKey = await exportPublicKey(keys.signing.publicKey);
    const agreementPublicKey = await exportPublicKey(keys.agreement.publicKey);
    return new DeviceIdentity(await deviceIdOf(signingPublicKey), signingPublicKey, agreementPublicKey, keys);
  }

  /** Signs bytes with the device key (raw r‖s). */
  sign(data: Uint8Array): Promise<Uint8Array> {
    return sign(this.keys.signing.privateKey, data);
  }

  /** The private ECDH key, for opening lockboxes. */
  get agreementPrivateKey(): CryptoKey {
    return this.keys.agreement.privateKey;
  }
}
