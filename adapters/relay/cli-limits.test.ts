/**
 * The resource limits and the peers' secret as `cellule relay` options (issue 11, H5): checked, listed in
 * `--help`, and in force in the relay they start.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FrameType, RelayErrorCode } from "../../core/protocol/relay.js";
import { makeEnvelopes, TestClient } from "../../test/support/relay-client.js";
import { relayTestBed } from "../../test/support/relay-test-bed.js";
import { runCli } from "./cli.js";

const { author, pub, tempDir, later } = await relayTestBed();

function io() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

async function start(args: string[]) {
  const { io: sink } = io();
  const data = await tempDir();
  const r = await runCli(["relay", "--port", "0", "--data", data, "--log-level", "error", ...args], {
    io: sink,
    handleSignals: false,
  });
  if (r.relay) later(() => r.relay!.close());
  return r;
}

describe("cellule relay's limit options", () => {
  it("are listed in --help", async () => {
    const { out, io: sink } = io();
    await runCli(["--help"], { io: sink, handleSignals: false });
    for (const option of [
      "--min-envelope",
      "--max-connections",
      "--max-connections-per-ip",
      "--ip-rate",
      "--ip-burst",
      "--max-store-bytes",
      "--max-store-envelopes",
      "--max-topic-bytes",
      "--max-topic-envelopes",
      "--peer-secret-file",
      "--trust-proxy",
      "--idle-timeout",
      "--headers-timeout",
      "--max-subscriptions-per-ip",
    ])
      expect(out.stdout).toContain(option);
  });

  it("refuse values out of range and a short secret", async () => {
    for (const args of [
      ["--max-connections", "0"],
      ["--ip-rate", "-1"],
      ["--min-envelope", "10"],
    ])
      expect((await start(args)).exitCode, args.join(" ")).toBe(2);
    const file = join(await tempDir(), "secret");
    await writeFile(file, "short\n");
    expect((await start(["--peer-secret-file", file])).exitCode).toBe(2);
  });

  it("are in force in the relay they start", async () => {
    const file = join(await tempDir(), "secret");
    await writeFile(file, "a secret long enough for peers\n");
    const { relay } = await start(["--max-topic-envelopes", "1", "--peer-secret-file", file]);
    const c = await TestClient.connect(relay!.wsUrl);
    later(() => c.close());
    const [a, b] = await makeEnvelopes(author, pub, 2);
    expect((await c.put(a!)).type).toBe(FrameType.ack);
    expect(await c.put(b!)).toMatchObject({ type: FrameType.error, code: RelayErrorCode.quota });
    const peer = await TestClient.connect(relay!.wsUrl, {
      Authorization: "Bearer a secret long enough for peers",
    });
    later(() => peer.close());
    expect(await peer.subAll(0)).toMatchObject({ seq: 1 });
  });
});
