/** In-memory keystore: for tests and throwaway devices. Keys are lost when the process ends. */

import { StorageError } from "../../core/base/errors.js";
import type { DeviceKeys } from "../../core/crypto/identity.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../../core/crypto/suite.js";
import type { Keystore } from "../../core/ports/keystore.js";

/** A keystore holding non-extractable `CryptoKey`s in a `Map`. */
export function memoryKeystore(): Keystore {
  const keys = new Map<string, DeviceKeys>();
  return {
    async load(name) {
      return keys.get(name);
    },
    async create(name) {
      if (keys.has(name)) {
        throw new StorageError(
          `keys already exist under "${name}": load them, or delete them first to replace them`,
        );
      }
      const created: DeviceKeys = {
        signing: await generateSigningKeyPair(false),
        agreement: await generateAgreementKeyPair(false),
      };
      // Checked again: another create for the same name may have finished while keys were generated.
      if (keys.has(name)) {
        throw new StorageError(
          `keys already exist under "${name}": load them, or delete them first to replace them`,
        );
      }
      keys.set(name, created);
      return created;
    },
    async delete(name) {
      keys.delete(name);
    },
  };
}
