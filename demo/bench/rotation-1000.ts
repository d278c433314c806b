/**
 * `rotation-1000`: rotate one sealed scope for 1,000 reader devices — a new secret sealed in a lockbox
 * to each reader (ephemeral ECDH → HKDF → AES-GCM), the previous secret wrapped under the new one, the
 * rotate op signed — `ms` (median of 5) and `lockbox_bytes` (the op's lockboxes as they travel, JSON);
 * also `open_ms`, the time one reader takes to find and open its entry. Goal ms < 1,000.
 *
 * Baseline in the same run, `baseline_ms`: the 1,000 ECDH agreements alone, the floor of any scheme that
 * seals a secret to each reader's public key.
 */
import { openLockbox, sealLockboxes, wrapPrevious } from "../../core/governance/index.js";
import { newScopeSecret } from "../../core/index.js";
import { crypto as c, DeviceIdentity, toBase64Url } from "../../core/internals.js";
import { type BenchResult, median, progress, round } from "./support.js";

const NAME = "rotation-1000";
const READERS = 1000;
const RUNS = 5;

export async function rotation1000(): Promise<BenchResult> {
  progress(NAME, `making ${READERS} reader devices`);
  const readers = await Promise.all(
    Array.from({ length: READERS }, async () => {
      const pair = await c.generateAgreementKeyPair();
      return { pair, agreement: toBase64Url(await c.exportPublicKey(pair.publicKey)) };
    }),
  );
  const author = await DeviceIdentity.fromKeys({
    signing: await c.generateSigningKeyPair(),
    agreement: await c.generateAgreementKeyPair(),
  });
  const context = { cell: "bench-cell", scope: "members", epoch: 2 };
  const previous = newScopeSecret();
  const times: number[] = [];
  const baseline: number[] = [];
  const opens: number[] = [];
  let lockboxBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const ephemeral = await c.generateAgreementKeyPair();
    let start = performance.now();
    await Promise.all(readers.map((r) => c.ecdh(ephemeral.privateKey, r.pair.publicKey)));
    baseline.push(performance.now() - start);

    start = performance.now();
    const secret = newScopeSecret();
    const lockboxes = await sealLockboxes(secret, readers, context);
    const wrapped = await wrapPrevious(secret, previous, context);
    const body = JSON.stringify({ type: "rotate", ...context, lockboxes, previous: wrapped });
    await author.sign(new TextEncoder().encode(body));
    times.push(performance.now() - start);
    lockboxBytes = JSON.stringify(lockboxes).length;

    const reader = readers[(run * 397) % READERS]!;
    start = performance.now();
    const opened = await openLockbox(lockboxes, { agreementPrivateKey: reader.pair.privateKey }, context);
    opens.push(performance.now() - start);
    if (!opened || toBase64Url(opened) !== toBase64Url(secret))
      throw new Error("a reader could not open its lockbox");
    progress(NAME, `run ${run + 1}/${RUNS}: ${round(times.at(-1)!)} ms`);
  }
  const ms = round(median(times));
  return {
    bench: NAME,
    ms,
    lockbox_bytes: lockboxBytes,
    open_ms: round(median(opens), 2),
    baseline_ms: round(median(baseline)),
    readers: READERS,
    goal: "ms < 1000",
    ok: ms < 1000,
  };
}
