/**
 * The relay's append-only log file: record framing, CRC-32, and the start-up scan that finds where the
 * valid records end.
 *
 * ```
 * record
 *   off  len
 *     0    4  L = 16 + envelope length, u32 big-endian
 *     4    4  CRC-32 (IEEE) of bytes [0, 4) and [8, 8 + L)
 *     8    8  global seq, u64
 *    16    8  topic seq, u64
 *    24    …  envelope (its 50-byte header holds the topic)
 * ```
 * Seqs are dense (record n of the file has global seq n), so they could be recomputed; they are written
 * anyway so the scan can tell a clean file from one with a hole, and so a later compaction can keep them.
 * The scan runs once at start-up with synchronous reads: nothing else is running yet.
 */

import { createHash } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import * as zlib from "node:zlib";
import { HEADER_LENGTH, readHeader } from "../../../core/protocol/envelope.js";

const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Bytes before the envelope in a record. */
export const RECORD_HEADER_BYTES = 24;
/** Sanity bound on one record: a length above this is corruption, whatever the relay's frame limit. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;
const TWO_32 = 2 ** 32;
const READ_CHUNK = 4 * 1024 * 1024;

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as in zip and PNG). Pass the previous result as `crc` to continue over more bytes. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  // zlib's (Node >= 20.15) runs in C, several times faster than the table below, kept for older Nodes.
  if (zlibCrc32) return zlibCrc32(bytes, crc) >>> 0;
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Writes one record for `envelope` into `out` at `offset`; returns the offset after it. */
export function writeRecord(
  out: Buffer,
  offset: number,
  globalSeq: number,
  seq: number,
  envelope: Uint8Array,
): number {
  const length = 16 + envelope.length;
  out.writeUInt32BE(length, offset);
  out.writeUInt32BE(Math.floor(globalSeq / TWO_32), offset + 8);
  out.writeUInt32BE(globalSeq >>> 0, offset + 12);
  out.writeUInt32BE(Math.floor(seq / TWO_32), offset + 16);
  out.writeUInt32BE(seq >>> 0, offset + 20);
  out.set(envelope, offset + RECORD_HEADER_BYTES);
  const end = offset + 8 + length;
  const crc = crc32(out.subarray(offset + 8, end), crc32(out.subarray(offset, offset + 4)));
  out.writeUInt32BE(crc, offset + 4);
  return end;
}

/** One valid record found by the scan. */
export interface ScannedRecord {
  /** File offset of the envelope (after the record header). */
  offset: number;
  length: number;
  globalSeq: number;
  seq: number;
  /** Topic, lowercase hex. */
  topic: string;
  /** SHA-256 of the envelope as a latin1 string (a compact map key). */
  hashKey: string;
}

/** What the scan found. */
export interface ScanResult {
  records: ScannedRecord[];
  /** Offset just after the last valid record: everything from here on is a torn tail. */
  end: number;
  /** Bytes after `end` (a write cut short by a crash, or garbage). */
  tailBytes: number;
  /** Bytes skipped between valid records (corruption inside the file). */
  holeBytes: number;
  /** True when the records are dense and numbered as expected, with no hole. */
  clean: boolean;
  /** Bytes checksummed while looking for the next record after a bad one (bounded: see `scanLog`). */
  resyncBytes: number;
}

/** Reads a file forward through a window of a few megabytes. */
class WindowReader {
  private buf = Buffer.alloc(0);
  private start = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** `n` bytes at `pos`, valid until the next call; undefined past the end of the file. */
  get(pos: number, n: number): Buffer | undefined {
    if (pos + n > this.size) return undefined;
    if (pos >= this.start && pos + n <= this.start + this.buf.length) {
      return this.buf.subarray(pos - this.start, pos - this.start + n);
    }
    const len = Math.min(this.size - pos, Math.max(n, READ_CHUNK));
    const buf = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const r = readSync(this.fd, buf, done, len - done, pos + done);
      if (r === 0) return undefined;
      done += r;
    }
    this.buf = buf;
    this.start = pos;
    return buf.subarray(0, n);
  }
}

interface Parsed {
  next: number;
  globalSeq: number;
  seq: number;
  envelope: Buffer;
}

/**
 * What a resync may accept at a candidate offset: a record numbered after the last good one, no further
 * on than the bytes left allow, whose envelope header reads; and checksum bytes left to spend on it.
 */
interface Resync {
  afterGlobal: number;
  budget: { left: number };
}

function parseAt(r: WindowReader, pos: number, resync?: Resync): Parsed | undefined {
  const head = r.get(pos, RECORD_HEADER_BYTES);
  if (!head) return undefined;
  const length = head.readUInt32BE(0);
  if (length < 16 + HEADER_LENGTH || length > MAX_RECORD_BYTES || pos + 8 + length > r.size) return undefined;
  if (resync) {
    // Cheap checks first: random bytes almost never pass them, so almost no candidate costs a checksum.
    const g = head.readUInt32BE(8) * TWO_32 + head.readUInt32BE(12);
    const most = resync.afterGlobal + 1 + Math.floor((r.size - pos) / (RECORD_HEADER_BYTES + HEADER_LENGTH));
    if (g <= resync.afterGlobal || g > most || head.readUInt32BE(16) * TWO_32 + head.readUInt32BE(20) < 1)
      return undefined;
    const envHead = r.get(pos + RECORD_HEADER_BYTES, HEADER_LENGTH);
    if (!envHead) return undefined;
    try {
      readHeader(envHead);
    } catch {
      return undefined;
    }
    // Candidates forged inside an envelope's payload could each make the scan checksum megabytes.
    if (8 + length > resync.budget.left) return undefined;
    resync.budget.left -= 8 + length;
  }
  const rec = r.get(pos, 8 + length);
  if (!rec) return undefined;
  const crc = crc32(rec.subarray(8), crc32(rec.subarray(0, 4)));
  if (crc !== rec.readUInt32BE(4)) return undefined;
  const envelope = rec.subarray(RECORD_HEADER_BYTES);
  try {
    readHeader(envelope);
  } catch {
    return undefined;
  }
  return {
    next: pos + 8 + length,
    globalSeq: rec.readUInt32BE(8) * TWO_32 + rec.readUInt32BE(12),
    seq: rec.readUInt32BE(16) * TWO_32 + rec.readUInt32BE(20),
    envelope,
  };
}

/**
 * Scans a log file. At a record that does not check out, looks further for the next one that does: none
 * means the bad bytes are a torn tail (normal after a crash mid-write); one means a hole in the middle
 * (damaged disk or file), reported as `clean: false`.
 *
 * Linear in the file's size: the search after a bad record checksums only candidates that pass cheap
 * checks (numbering, envelope header), and at most `4 × size + 64 MiB` bytes in all (M6: it tried every
 * offset, each with a read and checksum of up to 256 MiB, hours for one bad byte before a large envelope).
 * Past that budget the rest is treated as lost; the repair then takes a new store ID, so clients re-post it.
 */
export function scanLog(path: string): ScanResult {
  const fd = openSync(path, "r");
  try {
    const { size } = fstatSync(fd);
    const r = new WindowReader(fd, size);
    const records: ScannedRecord[] = [];
    const topicCounts = new Map<string, number>();
    let clean = true;
    let holeBytes = 0;
    let pos = 0;
    const budget = { left: 4 * size + 64 * 1024 * 1024 };
    while (pos < size) {
      let rec = parseAt(r, pos);
      if (!rec) {
        const resync = {
          afterGlobal: records.length > 0 ? records[records.length - 1]!.globalSeq : 0,
          budget,
        };
        let q = pos + 1;
        for (; q + RECORD_HEADER_BYTES <= size && budget.left > 0; q++) {
          rec = parseAt(r, q, resync);
          // A record forged inside an envelope's payload checks out too. It is believed only if it ends
          // where the file ends or where another good record starts: a forgery inside a torn write cannot
          // know where the tear will be (so it can no longer turn a torn tail into a hole and a new ID).
          if (rec && rec.next !== size && !parseAt(r, rec.next, { afterGlobal: rec.globalSeq, budget }))
            rec = undefined;
          if (rec) break;
        }
        if (!rec) {
          // Nothing checks out after `pos`. A torn write is shorter than the length it declares; a record
          // that is all there but fails its checksum was damaged after it was written (and acknowledged),
          // and a search cut short by its budget may have missed records: either way not a clean tail.
          const head = r.get(pos, 4);
          const declared = head ? head.readUInt32BE(0) : 0;
          const whole =
            declared >= 16 + HEADER_LENGTH && declared <= MAX_RECORD_BYTES && pos + 8 + declared <= size;
          if (whole || budget.left <= 0) clean = false;
          break;
        }
        clean = false;
        holeBytes += q - pos;
        pos = q;
      }
      const topic = rec.envelope.toString("hex", 2, 34);
      const seq = (topicCounts.get(topic) ?? 0) + 1;
      topicCounts.set(topic, seq);
      if (rec.globalSeq !== records.length + 1 || rec.seq !== seq) clean = false;
      records.push({
        offset: pos + RECORD_HEADER_BYTES,
        length: rec.envelope.length,
        globalSeq: rec.globalSeq,
        seq: rec.seq,
        topic,
        hashKey: createHash("sha256").update(rec.envelope).digest().toString("latin1"),
      });
      pos = rec.next;
    }
    const resyncBytes = 4 * size + 64 * 1024 * 1024 - budget.left;
    return { records, end: pos, tailBytes: size - pos, holeBytes, clean, resyncBytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the valid records of `source` into a new file `target`, renumbered densely, and syncs it.
 * Used once after the scan found a hole, before the relay takes a new store ID.
 */
export function rewriteLog(source: string, target: string, records: ScannedRecord[]): void {
  const src = openSync(source, "r");
  const dst = openSync(target, "w", 0o600);
  try {
    const topicCounts = new Map<string, number>();
    let out = Buffer.allocUnsafe(READ_CHUNK);
    let used = 0;
    let filePos = 0;
    const flush = (): void => {
      let done = 0;
      while (done < used) done += writeSync(dst, out, done, used - done, filePos + done);
      filePos += used;
      used = 0;
    };
    records.forEach((rec, i) => {
      const envelope = Buffer.allocUnsafe(rec.length);
      readSync(src, envelope, 0, rec.length, rec.offset);
      const seq = (topicCounts.get(rec.topic) ?? 0) + 1;
      topicCounts.set(rec.topic, seq);
      const size = RECORD_HEADER_BYTES + rec.length;
      if (used + size > out.length) flush();
      if (size > out.length) out = Buffer.allocUnsafe(size);
      used = writeRecord(out, used, i + 1, seq, envelope);
    });
    flush();
    fsyncSync(dst);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}
