/**
 * The acceptance suite every `Transport` runs (relay client, BroadcastChannel, and any later one): what is
 * published on a topic reaches the other endpoints subscribed to it, and nothing else does.
 */
import { toHex } from "../base/bytes.js";
import type { DocId, ScopeId, Topic } from "../base/ids.js";
import { DeviceIdentity } from "../crypto/identity.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../crypto/suite.js";
import type { Transport, TransportContext } from "../ports/transport.js";
import { EnvelopeKind, sealEnvelope } from "../protocol/envelope.js";
import { newScopeSecret, sealedEpoch } from "../protocol/scope-keys.js";
import { assert, equal } from "./assert.js";
import { type TestFramework, withFixture } from "./framework.js";

/** A set of transports connected to each other (same relays, same channel name), not started yet. */
export interface TransportFixture {
  transports: Transport[];
  /** True when endpoints keep envelopes, so a late subscriber still gets what was published before. */
  stores: boolean;
  teardown?: () => void | Promise<void>;
}

interface Endpoint {
  transport: Transport;
  received: Uint8Array[];
  context: TransportContext;
}

async function started(fixture: TransportFixture, backlog: Uint8Array[] = []): Promise<Endpoint[]> {
  const endpoints: Endpoint[] = [];
  for (const transport of fixture.transports) {
    const received: Uint8Array[] = [];
    const context: TransportContext = {
      deliver: async (envelope) => {
        received.push(envelope);
      },
      backlog: async () => backlog,
    };
    await transport.start(context);
    endpoints.push({ transport, received, context });
  }
  return endpoints;
}

async function envelopeOn(
  topicSecret: Uint8Array,
  marker: number,
): Promise<{ topic: Topic; bytes: Uint8Array }> {
  const author = await DeviceIdentity.fromKeys({
    signing: await generateSigningKeyPair(),
    agreement: await generateAgreementKeyPair(),
  });
  const scope = await sealedEpoch("acceptance" as ScopeId, 1, topicSecret);
  const bytes = await sealEnvelope(author, scope, {
    kind: EnvelopeKind.changes,
    docId: "acceptance-doc" as DocId,
    session: new Uint8Array(16),
    items: [new Uint8Array([marker])],
  });
  return { topic: scope.topic, bytes };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const has = (list: Uint8Array[], bytes: Uint8Array) => list.some((b) => toHex(b) === toHex(bytes));

/** Runs the transport acceptance suite; `setup` returns at least two connected, unstarted transports. */
export function runTransportAcceptance(
  name: string,
  setup: () => Promise<TransportFixture>,
  { describe, it }: TestFramework,
): void {
  describe(`${name}: transport acceptance`, () => {
    it(
      "delivers what one endpoint publishes to the others subscribed to the topic, byte for byte",
      withFixture(setup, async (fixture) => {
        const [a, b, ...rest] = await started(fixture);
        const { topic, bytes } = await envelopeOn(newScopeSecret(), 1);
        for (const e of [a!, b!, ...rest]) e.transport.subscribe([topic]);
        await new Promise((r) => setTimeout(r, 100));
        a!.transport.publish(bytes);
        await eventually(
          () => [b!, ...rest].every((e) => has(e.received, bytes)),
          "delivery to every subscriber",
        );
        for (const e of [b!, ...rest])
          for (const got of e.received) equal(toHex(got), toHex(bytes), "delivered bytes");
      }),
    );

    it(
      "does not deliver topics an endpoint has not subscribed to, or has left",
      withFixture(setup, async (fixture) => {
        const [a, b] = await started(fixture);
        const wanted = await envelopeOn(newScopeSecret(), 2);
        const other = await envelopeOn(newScopeSecret(), 3);
        const left = await envelopeOn(newScopeSecret(), 4);
        b!.transport.subscribe([wanted.topic, left.topic]);
        b!.transport.unsubscribe([left.topic]);
        await new Promise((r) => setTimeout(r, 100));
        a!.transport.publish(other.bytes);
        a!.transport.publish(left.bytes);
        a!.transport.publish(wanted.bytes);
        await eventually(() => has(b!.received, wanted.bytes), "delivery of the subscribed topic");
        await new Promise((r) => setTimeout(r, 200));
        assert(!has(b!.received, other.bytes), "an unsubscribed topic was delivered");
        assert(!has(b!.received, left.bytes), "a topic left with unsubscribe was delivered");
      }),
    );

    it(
      "gives a late subscriber what was published before, when the transport stores",
      withFixture(setup, async (fixture) => {
        const [a, b] = await started(fixture);
        const { topic, bytes } = await envelopeOn(newScopeSecret(), 5);
        a!.transport.publish(bytes);
        if (fixture.stores)
          await eventually(() => a!.transport.status().pending === 0, "the publication to be stored");
        else await new Promise((r) => setTimeout(r, 100));
        b!.transport.subscribe([topic]);
        if (fixture.stores)
          await eventually(() => has(b!.received, bytes), "the stored envelope for a late subscriber");
        else {
          await new Promise((r) => setTimeout(r, 200));
          assert(!has(b!.received, bytes), "a transport without storage replayed an old envelope");
        }
      }),
    );

    it(
      "reports its endpoints, and stops delivering once closed",
      withFixture(setup, async (fixture) => {
        const [a, b] = await started(fixture);
        const status = b!.transport.status();
        assert(
          status.endpoints.length > 0 && typeof status.pending === "number",
          "status lists endpoints and pending",
        );
        const { topic, bytes } = await envelopeOn(newScopeSecret(), 6);
        b!.transport.subscribe([topic]);
        await b!.transport.close();
        a!.transport.publish(bytes);
        await new Promise((r) => setTimeout(r, 200));
        equal(b!.received.length, 0, "deliveries after close");
      }),
    );
  });
}
