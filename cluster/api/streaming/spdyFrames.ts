// SPDY/3.1 frame layout (draft 3.1, section 2.2): an 8-byte header, then the payload. Control
// frames carry version 3 and a type; data frames a 31-bit stream id. Header blocks are
// name/value pairs with 32-bit big-endian lengths, compressed separately (spdyHeaderCompression.ts).
// https://www.chromium.org/spdy/spdy-protocol/spdy-protocol-draft3-1/

export const spdyVersion = 3;

export const controlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const flagFin = 0x01;

export const rstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5 } as const;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

const headerLength = 8;
const streamIdMask = 0x7fffffff;

export function encodeControlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(headerLength);
  header.writeUInt16BE(0x8000 | spdyVersion, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function encodeDataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const header = Buffer.alloc(headerLength);
  header.writeUInt32BE(streamId & streamIdMask, 0);
  header.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([header, data]);
}

const uint32s = (...values: number[]) => {
  const buffer = Buffer.alloc(values.length * 4);
  for (const [i, value] of values.entries()) buffer.writeUInt32BE(value >>> 0, i * 4);
  return buffer;
};

/** SYN_STREAM payload: stream id, associated stream id, priority and slot, then the header block. */
export function synStreamPayload(streamId: number, compressedHeaders: Buffer, priority = 0): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & streamIdMask, 0);
  fixed.writeUInt32BE(0, 4);
  fixed.writeUInt8((priority & 0x7) << 5, 8);
  return Buffer.concat([fixed, compressedHeaders]);
}

/** SYN_REPLY and HEADERS payload: stream id, then the header block. */
export const streamHeadersPayload = (streamId: number, compressedHeaders: Buffer): Buffer =>
  Buffer.concat([uint32s(streamId & streamIdMask), compressedHeaders]);

export const rstStreamPayload = (streamId: number, status: number): Buffer =>
  uint32s(streamId & streamIdMask, status);

export const windowUpdatePayload = (streamId: number, delta: number): Buffer =>
  uint32s(streamId & streamIdMask, delta & streamIdMask);

export const goAwayPayload = (lastGoodStreamId: number, status: number): Buffer =>
  uint32s(lastGoodStreamId & streamIdMask, status);

export const pingPayload = (id: number): Buffer => uint32s(id);

export interface SynStream {
  streamId: number;
  associatedStreamId: number;
  priority: number;
  headerBlock: Buffer;
}

export function parseSynStream(payload: Buffer): SynStream {
  if (payload.length < 10) throw new SpdyProtocolError('SYN_STREAM shorter than 10 bytes');
  return {
    streamId: payload.readUInt32BE(0) & streamIdMask,
    associatedStreamId: payload.readUInt32BE(4) & streamIdMask,
    priority: payload.readUInt8(8) >> 5,
    headerBlock: payload.subarray(10),
  };
}

/** SYN_REPLY and HEADERS: the stream id and the (compressed) header block. */
export function parseStreamHeaders(payload: Buffer): { streamId: number; headerBlock: Buffer } {
  if (payload.length < 4) throw new SpdyProtocolError('header frame shorter than 4 bytes');
  return { streamId: payload.readUInt32BE(0) & streamIdMask, headerBlock: payload.subarray(4) };
}

/** RST_STREAM, WINDOW_UPDATE and GOAWAY: two 32-bit fields (the first a stream id). */
export function parseTwoWords(payload: Buffer): [number, number] {
  if (payload.length < 8) throw new SpdyProtocolError('control frame shorter than 8 bytes');
  return [payload.readUInt32BE(0) & streamIdMask, payload.readUInt32BE(4)];
}

export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError';
}

/** Header names are lower case; several values of one name are joined by NUL. */
export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [uint32s(entries.length)];
  for (const [name, value] of entries) {
    const nameBytes = Buffer.from(name.toLowerCase(), 'utf8');
    const valueBytes = Buffer.from(Array.isArray(value) ? value.join('\0') : value, 'utf8');
    parts.push(uint32s(nameBytes.length), nameBytes, uint32s(valueBytes.length), valueBytes);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let offset = 0;
  const take = () => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw new SpdyProtocolError('truncated header block');
    const text = block.toString('utf8', offset, offset + length);
    offset += length;
    return text;
  };
  const count = block.length >= 4 ? block.readUInt32BE(0) : 0;
  offset = 4;
  for (let i = 0; i < count; i++) {
    const name = take();
    headers.set(name, take().split('\0'));
  }
  return headers;
}

/** Splits a byte stream into frames; bytes of an incomplete frame wait for the next chunk. */
export class SpdyFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.pending.length >= headerLength) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < headerLength + length) break;
      const flags = this.pending.readUInt8(4);
      const body = this.pending.subarray(headerLength, headerLength + length);
      const first = this.pending.readUInt32BE(0);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== spdyVersion) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: first & 0xffff, flags, payload: body });
      } else {
        frames.push({ kind: 'data', streamId: first & streamIdMask, flags, data: body });
      }
      this.pending = this.pending.subarray(headerLength + length);
    }
    return frames;
  }
}
