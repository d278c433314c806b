/**
 * Frame dispatch for the relay, on top of the shared codec in `core/protocol/relay-frames.ts`: one call turns a
 * WebSocket message into a typed frame (or a `MalformedFrameError` carrying the request ID when it could be
 * read, so the ERROR answer can name it). Used by the server, its `--peer` links and the tests.
 */
import { CelluleError, IntegrityError } from "../../../core/base/errors.js";
import type { Topic } from "../../../core/base/ids.js";
import { FrameType } from "../../../core/protocol/relay.js";
import {
  decodeAck,
  decodeCaughtUp,
  decodeDeliver,
  decodeError,
  decodeHello,
  decodePut,
  decodeSub,
  decodeSubAll,
  decodeUnsub,
} from "../../../core/protocol/relay-frames.js";

export {
  encodeAck,
  encodeCaughtUp,
  encodeDeliver,
  encodeError,
  encodeHello,
  encodePut,
  encodeSub,
  encodeSubAll,
  encodeUnsub,
} from "../../../core/protocol/relay-frames.js";

/**
 * Bytes a frame adds around an envelope at most. `maxFrame` bounds the envelope a relay accepts; the
 * WebSocket limit is `maxFrame + FRAME_SLACK`, so an envelope of exactly `MAX_ENVELOPE_BYTES` (the library's
 * largest, equal to the default `maxFrame`) still fits in a PUT.
 */
export const FRAME_SLACK = 16;

/** The all-zero topic of the CAUGHT_UP that ends a SUB_ALL backlog (its seq is a global seq). */
export const ALL_TOPICS = "0".repeat(64) as Topic;

/** A frame that does not follow the protocol: unknown type, wrong length, bad counts. */
export class MalformedFrameError extends CelluleError {
  /** The request ID read before the problem was found, 0 when none. */
  readonly reqId: number;
  constructor(message: string, reqId = 0) {
    super("malformed-frame", message);
    this.reqId = reqId;
  }
}

/** A frame a client sends to a relay. */
export type ClientFrame =
  | { type: typeof FrameType.put; reqId: number; envelope: Uint8Array }
  | { type: typeof FrameType.sub; reqId: number; topics: { topic: Topic; since: number }[] }
  | { type: typeof FrameType.unsub; topics: Topic[] }
  | { type: typeof FrameType.subAll; reqId: number; since: number };

/** A frame a relay sends to a client. */
export type RelayFrame =
  | { type: typeof FrameType.hello; storeId: string; maxFrame: number }
  | { type: typeof FrameType.ack; reqId: number; status: number; seq: number; hash: string }
  | { type: typeof FrameType.deliver; seq: number; envelope: Uint8Array }
  | { type: typeof FrameType.caughtUp; reqId: number; topic: Topic; seq: number }
  | { type: typeof FrameType.error; reqId: number; code: number; message: string }
  | { type: typeof FrameType.deliverAll; globalSeq: number; envelope: Uint8Array };

/** The request ID of a frame that carries one (bytes 1–4), else 0. */
function reqIdOf(bytes: Uint8Array): number {
  const type = bytes[0];
  if (bytes.length < 5 || (type !== FrameType.put && type !== FrameType.sub && type !== FrameType.subAll))
    return 0;
  return new DataView(bytes.buffer, bytes.byteOffset, 5).getUint32(1);
}

function exact(bytes: Uint8Array, n: number, what: string): void {
  if (bytes.length !== n) throw new IntegrityError(`${what} frame has ${bytes.length} bytes, expected ${n}`);
}

/** Decodes a client-to-relay frame; `MalformedFrameError` for anything else. */
export function decodeClientFrame(bytes: Uint8Array): ClientFrame {
  try {
    switch (bytes[0]) {
      case FrameType.put:
        return { type: FrameType.put, ...decodePut(bytes) };
      case FrameType.sub:
        return { type: FrameType.sub, ...decodeSub(bytes) };
      case FrameType.unsub:
        return { type: FrameType.unsub, topics: decodeUnsub(bytes) };
      case FrameType.subAll:
        exact(bytes, 13, "SUB_ALL");
        return { type: FrameType.subAll, ...decodeSubAll(bytes) };
      default:
        throw new IntegrityError(
          bytes.length === 0 ? "empty frame" : `frame type ${bytes[0]} is not one a client sends`,
        );
    }
  } catch (e) {
    throw new MalformedFrameError(e instanceof Error ? e.message : String(e), reqIdOf(bytes));
  }
}

/** Decodes a relay-to-client frame; `MalformedFrameError` for anything else. */
export function decodeRelayFrame(bytes: Uint8Array): RelayFrame {
  try {
    switch (bytes[0]) {
      case FrameType.hello:
        exact(bytes, 21, "HELLO");
        return { type: FrameType.hello, ...decodeHello(bytes) };
      case FrameType.ack:
        exact(bytes, 46, "ACK");
        return { type: FrameType.ack, ...decodeAck(bytes) };
      case FrameType.deliver:
        return { type: FrameType.deliver, ...decodeDeliver(bytes) };
      case FrameType.caughtUp:
        exact(bytes, 45, "CAUGHT_UP");
        return { type: FrameType.caughtUp, ...decodeCaughtUp(bytes) };
      case FrameType.error:
        return { type: FrameType.error, ...decodeError(bytes) };
      case FrameType.deliverAll: {
        const { seq, envelope } = decodeDeliver(bytes);
        return { type: FrameType.deliverAll, globalSeq: seq, envelope };
      }
      default:
        throw new IntegrityError(
          bytes.length === 0 ? "empty frame" : `frame type ${bytes[0]} is not one a relay sends`,
        );
    }
  } catch (e) {
    throw new MalformedFrameError(e instanceof Error ? e.message : String(e));
  }
}
