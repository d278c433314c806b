import { describe, expect, it } from "vitest";
import { newScopeSecret, parseScopeId, WriterSets } from "../../core/index.js";
import { runTransportAcceptance } from "../../core/testing/index.js";
import { memoryKit, until } from "../../test/support/devices.js";
import { broadcastChannel } from "./index.js";

const MEMBERS = parseScopeId("members");

let n = 0;
runTransportAcceptance(
  "broadcastChannel (Node)",
  async () => {
    const channel = `acceptance-${n++}`;
    const transports = [broadcastChannel({ channel }), broadcastChannel({ channel })];
    return {
      transports,
      stores: false,
      teardown: async () => void (await Promise.all(transports.map((t) => t.close()))),
    };
  },
  { describe, it },
);

describe("broadcastChannel between two Kits", () => {
  it("syncs a sealed document between two tabs", async () => {
    const secret = newScopeSecret();
    const authority = new WriterSets();
    const tabs = [
      await memoryKit({ authority, transports: [broadcastChannel({ channel: "tabs-test" })] }),
      await memoryKit({ authority, transports: [broadcastChannel({ channel: "tabs-test" })] }),
    ];
    for (const k of tabs) {
      authority.allowScope(MEMBERS, [k.device.id]);
      await k.addScope(MEMBERS, secret);
    }
    const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
    const doc = await a.create<{ title: string }>(MEMBERS, { title: "onglet" });
    await until(() => b.documents(MEMBERS).includes(doc.id), "the other tab to see the document");
    const copy = await b.open<{ title: string }>(doc.id);
    await until(() => copy.value().title === "onglet", "the other tab to apply it");
    expect(b.stats.rejected).toEqual({});
    for (const k of tabs) await k.close();
  });
});
