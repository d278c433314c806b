/**
 * Encoders and decoders of the relay wire frames documented in `relay.ts`, shared by the relay
 * server and its client. Decoders throw `IntegrityError` on malformed input.
 */
import { fromHex, toHex } from "../base/bytes.js";
import { IntegrityError } from "../base/errors.js";
import type { Topic } from "../base/ids.js";
import { FrameType } from "./relay.js";

function frame(type: number, size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(1 + size);
  bytes[0] = type;
  return { bytes, view: new DataView(bytes.buffer) };
}

function need(bytes: Uint8Array, n: number, what: string): DataView {
  if (bytes.length < n) throw new IntegrityError(`${what} frame truncated`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** HELLO: relay → client. */
export function encodeHello(storeId: Uint8Array, maxFrame: number): Uint8Array {
  const { bytes, view } = frame(FrameType.hello, 20);
  bytes.set(storeId, 1);
  view.setUint32(17, maxFrame);
  return bytes;
}
export function decodeHello(bytes: Uint8Array): { storeId: string; maxFrame: number } {
  const view = need(bytes, 21, "HELLO");
  return { storeId: toHex(bytes.subarray(1, 17)), maxFrame: view.getUint32(17) };
}

/** PUT: client → relay. */
export function encodePut(reqId: number, envelope: Uint8Array): Uint8Array {
  const { bytes, view } = frame(FrameType.put, 4 + envelope.length);
  view.setUint32(1, reqId);
  bytes.set(envelope, 5);
  return bytes;
}
export function decodePut(bytes: Uint8Array): { reqId: number; envelope: Uint8Array } {
  const view = need(bytes, 5, "PUT");
  return { reqId: view.getUint32(1), envelope: bytes.subarray(5) };
}

/** ACK: relay → client. `status` 0 stored, 1 duplicate. */
export function encodeAck(reqId: number, status: number, seq: number, hash: Uint8Array): Uint8Array {
  const { bytes, view } = frame(FrameType.ack, 4 + 1 + 8 + 32);
  view.setUint32(1, reqId);
  bytes[5] = status;
  view.setBigUint64(6, BigInt(seq));
  bytes.set(hash, 14);
  return bytes;
}
export function decodeAck(bytes: Uint8Array): { reqId: number; status: number; seq: number; hash: string } {
  const view = need(bytes, 46, "ACK");
  return {
    reqId: view.getUint32(1),
    status: bytes[5]!,
    seq: Number(view.getBigUint64(6)),
    hash: toHex(bytes.subarray(14, 46)),
  };
}

/** SUB: client → relay. */
export function encodeSub(reqId: number, topics: { topic: Topic; since: number }[]): Uint8Array {
  const { bytes, view } = frame(FrameType.sub, 6 + topics.length * 40);
  view.setUint32(1, reqId);
  view.setUint16(5, topics.length);
  topics.forEach(({ topic, since }, i) => {
    bytes.set(fromHex(topic), 7 + i * 40);
    view.setBigUint64(7 + i * 40 + 32, BigInt(since));
  });
  return bytes;
}
export function decodeSub(bytes: Uint8Array): { reqId: number; topics: { topic: Topic; since: number }[] } {
  const view = need(bytes, 7, "SUB");
  const count = view.getUint16(5);
  need(bytes, 7 + count * 40, "SUB");
  if (bytes.length !== 7 + count * 40) throw new IntegrityError("SUB frame has trailing bytes");
  const topics = [];
  for (let i = 0; i < count; i++) {
    const o = 7 + i * 40;
    topics.push({
      topic: toHex(bytes.subarray(o, o + 32)) as Topic,
      since: Number(view.getBigUint64(o + 32)),
    });
  }
  return { reqId: view.getUint32(1), topics };
}

/** DELIVER (relay → client) and DELIVER_ALL (by global seq). */
export function encodeDeliver(seq: number, envelope: Uint8Array, all = false): Uint8Array {
  const { bytes, view } = frame(all ? FrameType.deliverAll : FrameType.deliver, 8 + envelope.length);
  view.setBigUint64(1, BigInt(seq));
  bytes.set(envelope, 9);
  return bytes;
}
export function decodeDeliver(bytes: Uint8Array): { seq: number; envelope: Uint8Array } {
  const view = need(bytes, 9, "DELIVER");
  return { seq: Number(view.getBigUint64(1)), envelope: bytes.subarray(9) };
}

/** CAUGHT_UP: relay → client, after a SUB's backlog for one topic. */
export function encodeCaughtUp(reqId: number, topic: Topic, seq: number): Uint8Array {
  const { bytes, view } = frame(FrameType.caughtUp, 44);
  view.setUint32(1, reqId);
  bytes.set(fromHex(topic), 5);
  view.setBigUint64(37, BigInt(seq));
  return bytes;
}
export function decodeCaughtUp(bytes: Uint8Array): { reqId: number; topic: Topic; seq: number } {
  const view = need(bytes, 45, "CAUGHT_UP");
  return {
    reqId: view.getUint32(1),
    topic: toHex(bytes.subarray(5, 37)) as Topic,
    seq: Number(view.getBigUint64(37)),
  };
}

/** UNSUB: client → relay. */
export function encodeUnsub(topics: Topic[]): Uint8Array {
  const { bytes, view } = frame(FrameType.unsub, 2 + topics.length * 32);
  view.setUint16(1, topics.length);
  for (const [i, t] of topics.entries()) bytes.set(fromHex(t), 3 + i * 32);
  return bytes;
}
export function decodeUnsub(bytes: Uint8Array): Topic[] {
  const view = need(bytes, 3, "UNSUB");
  const count = view.getUint16(1);
  if (bytes.length !== 3 + count * 32) throw new IntegrityError("UNSUB frame has the wrong length");
  return Array.from({ length: count }, (_, i) => toHex(bytes.subarray(3 + i * 32, 35 + i * 32)) as Topic);
}

/** ERROR: relay → client. */
export function encodeError(reqId: number, code: number, message: string): Uint8Array {
  const text = new TextEncoder().encode(message);
  const { bytes, view } = frame(FrameType.error, 6 + text.length);
  view.setUint32(1, reqId);
  view.setUint16(5, code);
  bytes.set(text, 7);
  return bytes;
}
export function decodeError(bytes: Uint8Array): { reqId: number; code: number; message: string } {
  const view = need(bytes, 7, "ERROR");
  return {
    reqId: view.getUint32(1),
    code: view.getUint16(5),
    message: new TextDecoder().decode(bytes.subarray(7)),
  };
}

/** SUB_ALL: client (usually a peer relay) → relay. */
export function encodeSubAll(reqId: number, since: number): Uint8Array {
  const { bytes, view } = frame(FrameType.subAll, 12);
  view.setUint32(1, reqId);
  view.setBigUint64(5, BigInt(since));
  return bytes;
}
export function decodeSubAll(bytes: Uint8Array): { reqId: number; since: number } {
  const view = need(bytes, 13, "SUB_ALL");
  return { reqId: view.getUint32(1), since: Number(view.getBigUint64(5)) };
}
