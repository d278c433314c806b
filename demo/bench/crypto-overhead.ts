/**
 * `crypto-overhead`: process CPU time (all threads, `process.cpuUsage()`) of the full pipeline, one change
 * at a time — A's `doc.change`, seal and sign, store; B's `kit.receive`: open, verify, check the actor
 * and the author's right, apply, store — against the same pipeline with no WebCrypto call at all, built
 * here: the same Automerge change capture on an automerge-repo handle, the same envelope framing (header
 * and body, with neither signature nor ciphertext), the same storage writes and duplicate check, the same
 * actor and write checks, and `A.applyChanges` on B's handle. In process, no network.
 *
 * Both variants run in alternating rounds on documents that grow alike; `ratio` is Cellule's CPU time
 * over the plain one's. Snapshots (every 500 local changes by default) are turned off: they are not
 * crypto, and would only blur the per-change cost.
 */
import * as A from "@automerge/automerge";
import { type DocHandle, Repo } from "@automerge/automerge-repo";
import { memoryKeystore, memoryStorage } from "../../adapters/memory/index.js";
import {
  createKit,
  type DeviceId,
  type DocId,
  type Kit,
  newScopeSecret,
  parseScopeId,
  type ScopeId,
  type Transport,
  type TransportStatus,
  WriterSets,
} from "../../core/index.js";
import { EnvelopeKind, HEADER_LENGTH, utf8 } from "../../core/internals.js";
import { type BenchResult, ownCpuSeconds, progress, round } from "./support.js";

const MEMBERS = parseScopeId("members");

const NAME = "crypto-overhead";
const WARMUP = 200;
const ROUNDS = 4;
const PER_ROUND = 1000;
/**
 * Posts are written into this many slots, round robin: Automerge copies a map's JS object on every
 * change to it, so a map growing to thousands of posts would make Automerge's cost swamp everything
 * else (the reason for core/kit/collection.ts's buckets); bounded documents show the pipeline's own cost.
 */
const SLOTS = 100;

interface Journal {
  posts: Record<string, { author: string; text: string; at: number }>;
}

const post = (i: number) => ({
  author: "Camille",
  text: `Compte rendu de la réunion n° ${i} : ordre du jour, présents, décisions.`,
  at: 1_700_000_000_000 + i,
});

/** A transport that keeps what the Kit publishes. */
class Capture implements Transport {
  readonly name = "capture";
  readonly out: Uint8Array[] = [];
  async start(): Promise<void> {}
  publish(envelope: Uint8Array): void {
    this.out.push(envelope);
  }
  subscribe(): void {}
  unsubscribe(): void {}
  status(): TransportStatus {
    return { name: this.name, endpoints: [], pending: this.out.length };
  }
  async close(): Promise<void> {}
}

/** One variant: makes change `i` on A and has B apply it. */
interface Pipeline {
  step(i: number): Promise<void>;
  /** The posts B holds. */
  last(): Journal["posts"];
  close(): Promise<void>;
}

/** Cellule's pipeline: two Kits, A's envelopes handed to `b.receive`. Exported for profiling. */
export async function cellulePipeline(): Promise<Pipeline> {
  const authority = new WriterSets();
  const capture = new Capture();
  const a: Kit = await createKit({
    storage: memoryStorage(),
    keystore: memoryKeystore(),
    authority,
    transports: [capture],
    snapshotEvery: Number.POSITIVE_INFINITY,
  });
  const b: Kit = await createKit({ storage: memoryStorage(), keystore: memoryKeystore(), authority });
  authority.allowScope(MEMBERS, [a.device.id]);
  const secret = newScopeSecret();
  await a.addScope(MEMBERS, secret);
  await b.addScope(MEMBERS, secret);
  const docA = await a.create<Journal>(MEMBERS, { posts: {} });
  const deliver = async () => {
    await a.flush();
    for (const envelope of capture.out.splice(0)) {
      const outcome = await b.receive(envelope);
      if (outcome.status !== "accepted") throw new Error(`B did not accept an envelope: ${outcome.status}`);
    }
  };
  await deliver();
  const docB = await b.open<Journal>(docA.id);
  return {
    async step(i) {
      docA.change((d) => {
        d.posts[`p${i % SLOTS}`] = post(i);
      });
      await deliver();
    },
    last: () => docB.value().posts,
    close: async () => {
      await a.close(0);
      await b.close(0);
    },
  };
}

/**
 * The plain pipeline (exported for profiling). Framing follows envelope v1 (50-byte header, then kind, author key, session,
 * document ID, cited heads, items) with the signature left out and the body not encrypted; the header's
 * IV field carries a sequence number that stands in for the content hash as the storage key.
 */
export async function plainPipeline(): Promise<Pipeline> {
  const storageA = memoryStorage();
  const storageB = memoryStorage();
  const repoA = new Repo({ storage: storageA });
  const repoB = new Repo({ storage: storageB });
  const authority = new WriterSets();
  const author = crypto.getRandomValues(new Uint8Array(65));
  const authorId = "plain-author" as DeviceId;
  authority.allowScope(MEMBERS, [authorId]);
  const session = crypto.getRandomValues(new Uint8Array(16));
  const topic = crypto.getRandomValues(new Uint8Array(32));
  const topicHex = Buffer.from(topic).toString("hex");
  const handleA = repoA.create<Journal>({ posts: {} });
  const docId = handleA.documentId as unknown as DocId;
  const actor = A.getActorId(handleA.doc());
  const scope = "members" as ScopeId;
  let sequence = 0;
  const outbox: Uint8Array[] = [];
  let handleB: DocHandle<Journal> | undefined;
  const seen = new Set<string>();

  const frame = (items: Uint8Array[]): Uint8Array => {
    const doc = utf8(docId);
    let size = HEADER_LENGTH + 1 + 65 + 16 + 1 + doc.length + 2 + 4;
    for (const item of items) size += 4 + item.length;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out[0] = 1;
    out[1] = 0;
    out.set(topic, 2);
    view.setUint32(34, 1);
    view.setUint32(46, ++sequence);
    let o = HEADER_LENGTH;
    out[o++] = EnvelopeKind.changes;
    out.set(author, o);
    o += 65;
    out.set(session, o);
    o += 16;
    out[o++] = doc.length;
    out.set(doc, o);
    o += doc.length;
    view.setUint16(o, 0);
    o += 2;
    view.setUint32(o, items.length);
    o += 4;
    for (const item of items) {
      view.setUint32(o, item.length);
      o += 4;
      out.set(item, o);
      o += item.length;
    }
    return out;
  };

  const send = async (changes: Uint8Array[]) => {
    await Promise.resolve(); // the Kit seals in a microtask, so that changes of one task share an envelope
    const bytes = frame(changes);
    await storageA.save(["cellule-env", topicHex, String(sequence)], bytes);
    outbox.push(bytes);
  };

  const receive = async (bytes: Uint8Array) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes[0] !== 1) throw new Error("not a v1 frame");
    const key = String(view.getUint32(46));
    if (seen.has(key) || (await storageB.load(["cellule-env", topicHex, key])) !== undefined) return;
    let o = HEADER_LENGTH + 1 + 65 + 16;
    const docLength = bytes[o++]!;
    const id = new TextDecoder().decode(bytes.subarray(o, o + docLength)) as DocId;
    o += docLength + 2 + view.getUint16(o + docLength) * 32;
    const count = view.getUint32(o);
    o += 4;
    const items: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const length = view.getUint32(o);
      items.push(bytes.slice(o + 4, o + 4 + length));
      o += 4 + length;
    }
    authority.checkWrite({ docId: id, scope, device: authorId, heads: [] });
    for (const change of items) {
      if (A.decodeChange(change).actor !== actor) throw new Error("actor mismatch");
    }
    if (!handleB) {
      handleB = repoB.import<Journal>(A.save(A.init()), { docId: id as never });
      if (!handleB.isReady()) handleB.doneLoading();
    }
    handleB.update((d) => A.applyChanges(d, items)[0]);
    seen.add(key);
    await storageB.save(["cellule-env", topicHex, key], bytes);
  };

  const deliver = async () => {
    for (const bytes of outbox.splice(0)) await receive(bytes);
  };
  await send(A.getAllChanges(handleA.doc()));
  await deliver();
  return {
    async step(i) {
      const before = handleA.doc();
      handleA.change((d) => {
        d.posts[`p${i % SLOTS}`] = post(i);
      });
      await send(A.getChanges(before, handleA.doc()));
      await deliver();
    },
    last: () => handleB!.doc().posts,
    close: async () => {
      await repoA.shutdown();
      await repoB.shutdown();
    },
  };
}

/** Runs `count` steps from `from`; returns CPU and wall seconds. */
async function timed(pipeline: Pipeline, from: number, count: number) {
  const cpu = ownCpuSeconds();
  const wall = performance.now();
  for (let i = from; i < from + count; i++) await pipeline.step(i);
  return { cpu: ownCpuSeconds() - cpu, wall: (performance.now() - wall) / 1000 };
}

/** Runs the bench. */
export async function cryptoOverhead(): Promise<BenchResult> {
  const cellule = await cellulePipeline();
  const plain = await plainPipeline();
  try {
    await timed(cellule, 0, WARMUP);
    await timed(plain, 0, WARMUP);
    let cpu = 0;
    let plainCpu = 0;
    let wall = 0;
    let plainWall = 0;
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const from = WARMUP + r * PER_ROUND;
      // Alternate which goes first, so that neither always runs on a warmer (or more cluttered) heap.
      let own: { cpu: number; wall: number };
      let p: { cpu: number; wall: number };
      if (r % 2 === 0) {
        own = await timed(cellule, from, PER_ROUND);
        p = await timed(plain, from, PER_ROUND);
      } else {
        p = await timed(plain, from, PER_ROUND);
        own = await timed(cellule, from, PER_ROUND);
      }
      cpu += own.cpu;
      wall += own.wall;
      plainCpu += p.cpu;
      plainWall += p.wall;
      ratios.push(own.cpu / p.cpu);
      progress(NAME, `round ${r + 1}: cellule ${own.cpu.toFixed(2)} s, plain ${p.cpu.toFixed(2)} s CPU`);
    }
    const last = WARMUP + ROUNDS * PER_ROUND - 1;
    for (const pipeline of [cellule, plain]) {
      const posts = pipeline.last();
      if (Object.keys(posts).length !== SLOTS || posts[`p${last % SLOTS}`]?.at !== post(last).at)
        throw new Error("B does not hold the last posts");
    }
    const changes = ROUNDS * PER_ROUND;
    const ratio = cpu / plainCpu;
    return {
      bench: NAME,
      ratio: round(ratio, 2),
      round_ratios: ratios.map((x) => round(x, 2)),
      cpu_us_per_change: Math.round((cpu / changes) * 1e6),
      plain_cpu_us_per_change: Math.round((plainCpu / changes) * 1e6),
      wall_us_per_change: Math.round((wall / changes) * 1e6),
      plain_wall_us_per_change: Math.round((plainWall / changes) * 1e6),
      changes,
      posts_per_document: SLOTS,
      goal: "ratio <= 1.10",
      ok: ratio <= 1.1,
    };
  } finally {
    await cellule.close();
    await plain.close();
  }
}
