/**
 * What a test reads or writes on a relay directly, as any client could (a widget, a tampered app): the
 * edition a relay serves for a cell, and an envelope posted over the relay's WebSocket.
 */
import WebSocket from "ws";
import { verifyEdition } from "../../core/index.js";
import { FrameType } from "../../core/protocol/relay.js";
import { encodePut } from "../../core/protocol/relay-frames.js";

/** The edition `relay` (`http://…`) serves for `cell`, verified; undefined when it serves none. */
export async function servedEdition(relay: string, cell: string) {
  const res = await fetch(`${relay}/c/${cell}/edition.json`);
  return res.ok ? verifyEdition(new Uint8Array(await res.arrayBuffer()), cell) : undefined;
}

/**
 * Posts an envelope straight to a relay (`ws://…/ws`), and resolves once the relay answered the PUT: the
 * first frame a relay sends is its HELLO, which says nothing of the envelope.
 */
export async function postRaw(relay: { wsUrl: string }, envelope: Uint8Array): Promise<void> {
  const ws = new WebSocket(relay.wsUrl);
  const answered = new Promise<void>((ok) =>
    ws.on("message", (data: Buffer) => {
      if (data[0] === FrameType.ack || data[0] === FrameType.error) ok();
    }),
  );
  await new Promise((ok) => ws.once("open", ok));
  ws.send(encodePut(1, envelope));
  await answered;
  ws.close();
}
