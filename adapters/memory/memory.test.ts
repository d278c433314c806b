import { runStorageAdapterTests } from "@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js";
import { describe, it } from "vitest";
import { runKeystoreAcceptance, runStorageAcceptance } from "../../core/testing/index.js";
import { memoryKeystore, memoryStorage } from "./index.js";

describe("memoryStorage", () => {
  runStorageAdapterTests(async () => ({ adapter: memoryStorage() }), "memoryStorage");
});

runStorageAcceptance("memoryStorage", async () => ({ adapter: memoryStorage() }), { describe, it });

runKeystoreAcceptance("memoryKeystore", async () => ({ keystore: memoryKeystore() }), { describe, it });
