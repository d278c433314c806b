/** `createKit`: a device's Kit from its storage and keystore, with the options' defaults filled in. */
import { NoIdentityError } from "../base/errors.js";
import { createLogger } from "../base/logger.js";
import { systemClock } from "../ports/clock.js";
import { loadIdentity } from "../ports/keystore.js";
import { ensureAutomerge } from "./automerge.js";
import { Kit } from "./kit.js";
import type { KitOptions } from "./kit-types.js";
import { WriterSets } from "./writer-sets.js";

/**
 * Opens (or, the first time, creates) this device's identity and documents.
 *
 * @example
 * const kit = await createKit({ storage: memoryStorage(), keystore: memoryKeystore(), transports: [relays] });
 * const demo = parseScopeId("demo");
 * await kit.addScope(demo, secret);
 * const doc = await kit.create<{ title: string }>(demo, { title: "Réunion" });
 */
export async function createKit(options: KitOptions): Promise<Kit> {
  await ensureAutomerge(options.automergeWasm);
  const device = await loadIdentity(
    options.keystore,
    options.deviceName ?? "device",
    options.createIdentity ?? true,
  );
  if (!device) throw new NoIdentityError("no device keys are stored here, and creating them was not allowed");
  const kit = new Kit(device, {
    ...options,
    authority: options.authority ?? new WriterSets(),
    transports: options.transports ?? [],
    logger: options.logger ?? createLogger("cellule:kit"),
    clock: options.clock ?? systemClock,
  });
  await kit.start();
  return kit;
}
