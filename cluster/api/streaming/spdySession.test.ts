import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { constants, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { spdyHeaderDictionary } from './spdyDictionary';
import {
  controlType,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  flagFin,
  parseStreamHeaders,
  parseTwoWords,
  pingPayload,
  type SpdyFrame,
  SpdyFrameReader,
  synStreamPayload,
} from './spdyFrames';
import { SpdyHeaderCompressor, SpdyHeaderDecompressor } from './spdyHeaderCompression';
import { SpdySession, type SpdyStream } from './spdySession';

describe('SPDY header compression', () => {
  it('uses the exact dictionary kubectl compresses against', () => {
    expect(spdyHeaderDictionary.length).toBe(1423);
    expect(createHash('sha256').update(spdyHeaderDictionary).digest('hex')).toBe(
      '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
    );
  });

  it('compresses successive blocks as one zlib stream a standard inflater reads', async () => {
    const compressor = new SpdyHeaderCompressor();
    const decompressor = new SpdyHeaderDecompressor();
    const first = encodeHeaderBlock({ streamtype: 'error', port: '8080', requestid: '0' });
    const second = encodeHeaderBlock({ streamtype: 'data', port: '8080', requestid: '0' });
    const wireFirst = await compressor.compress(first);
    const wireSecond = await compressor.compress(second);
    // The first block alone is a zlib stream with the preset dictionary, flushed to a byte boundary.
    expect(
      inflateSync(wireFirst, { dictionary: spdyHeaderDictionary, finishFlush: constants.Z_SYNC_FLUSH }),
    ).toEqual(first);
    // The second refers back to the first, so only the shared context decodes it.
    expect(wireSecond.length).toBeLessThan(wireFirst.length);
    expect(await decompressor.decompress(wireFirst)).toEqual(first);
    const decoded = decodeHeaderBlock(await decompressor.decompress(wireSecond));
    expect(Object.fromEntries(decoded)).toEqual({ streamtype: ['data'], port: ['8080'], requestid: ['0'] });
    compressor.close();
    decompressor.close();
  });

  it('keeps several values of one header apart', () => {
    const block = encodeHeaderBlock({ 'X-Stream-Protocol-Version': ['v4', 'v5'] });
    expect(decodeHeaderBlock(block).get('x-stream-protocol-version')).toEqual(['v4', 'v5']);
  });
});

describe('SPDY frames', () => {
  it('reassembles frames split at any byte', () => {
    const bytes = Buffer.concat([
      encodeDataFrame(1, flagFin, Buffer.from('hello')),
      encodeControlFrame(controlType.ping, 0, pingPayload(7)),
    ]);
    const reader = new SpdyFrameReader();
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames).toEqual([
      { kind: 'data', streamId: 1, flags: flagFin, data: Buffer.from('hello') },
      { kind: 'control', type: controlType.ping, flags: 0, payload: pingPayload(7) },
    ]);
  });

  it('rejects another SPDY version', () => {
    const frame = encodeControlFrame(controlType.ping, 0, pingPayload(1));
    frame.writeUInt16BE(0x8002, 0);
    expect(() => new SpdyFrameReader().push(frame)).toThrow('unsupported SPDY version 2');
  });
});

/** A SPDY client made of the frame functions, standing in for kubectl's side of a session. */
class TestClient {
  readonly frames: SpdyFrame[] = [];
  private readonly reader = new SpdyFrameReader();
  private readonly compressor = new SpdyHeaderCompressor();
  private readonly waiters: Array<() => void> = [];

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.reader.push(chunk));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async openStream(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    const block = await this.compressor.compress(encodeHeaderBlock(headers));
    this.socket.write(
      encodeControlFrame(controlType.synStream, fin ? flagFin : 0, synStreamPayload(id, block)),
    );
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  async until(match: (frame: SpdyFrame) => boolean): Promise<SpdyFrame> {
    await this.waitFor(() => this.frames.some(match));
    return this.frames.find(match) as SpdyFrame;
  }

  async waitFor(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.compressor.close();
    this.socket.destroy();
  }
}

const isControl = (type: number) => (f: SpdyFrame) => f.kind === 'control' && f.type === type;

describe('SpdySession', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function connected(): Promise<{ session: SpdySession; client: TestClient }> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    const client = new TestClient(connect((server.address() as AddressInfo).port, '127.0.0.1'));
    const [socket] = (await accepted) as [Socket];
    const session = new SpdySession(socket);
    cleanups.push(() => {
      client.close();
      session.close();
      server.close();
    });
    return { session, client };
  }

  it('answers a new stream with SYN_REPLY and exposes its headers', async () => {
    const { session, client } = await connected();
    const opened = once(session, 'stream') as Promise<[SpdyStream]>;
    await client.openStream(1, { streamType: 'data', port: '80', requestID: '3' });
    const [stream] = await opened;
    expect([
      stream.id,
      stream.header('streamtype'),
      stream.header('port'),
      stream.header('requestid'),
    ]).toEqual([1, 'data', '80', '3']);
    const reply = await client.until(isControl(controlType.synReply));
    expect(parseStreamHeaders((reply as { payload: Buffer }).payload).streamId).toBe(1);
  });

  it('carries data both ways, half-closes with FIN and grants window as it reads', async () => {
    const { session, client } = await connected();
    const opened = once(session, 'stream') as Promise<[SpdyStream]>;
    await client.openStream(1, { streamtype: 'data' });
    const [stream] = await opened;
    const received: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = once(stream, 'end');
    const payload = Buffer.alloc(100_000, 7);
    client.send(encodeDataFrame(1, 0, payload.subarray(0, 60_000)));
    client.send(encodeDataFrame(1, flagFin, payload.subarray(60_000)));
    await ended;
    expect(Buffer.concat(received)).toEqual(payload);
    const granted = (id: number) =>
      client.frames
        .filter(isControl(controlType.windowUpdate))
        .map((f) => parseTwoWords((f as { payload: Buffer }).payload))
        .filter(([stream]) => stream === id)
        .reduce((sum, [, delta]) => sum + delta, 0);
    await client.waitFor(() => granted(0) === payload.length);
    expect(granted(1)).toBe(payload.length);

    stream.end(Buffer.from('pong'));
    await client.until((f) => f.kind === 'data' && (f.flags & flagFin) !== 0);
    const sent = client.frames.filter((f) => f.kind === 'data').map((f) => (f as { data: Buffer }).data);
    expect(Buffer.concat(sent).toString()).toBe('pong');
  });

  it('echoes client pings and destroys a stream the client resets', async () => {
    const { session, client } = await connected();
    client.send(encodeControlFrame(controlType.ping, 0, pingPayload(5)));
    const ping = await client.until(isControl(controlType.ping));
    expect((ping as { payload: Buffer }).payload.readUInt32BE(0)).toBe(5);

    const opened = once(session, 'stream') as Promise<[SpdyStream]>;
    await client.openStream(3, { streamtype: 'error' });
    const [stream] = await opened;
    const closed = once(stream, 'close');
    const reset = Buffer.alloc(8);
    reset.writeUInt32BE(3, 0);
    reset.writeUInt32BE(5, 4);
    client.send(encodeControlFrame(controlType.rstStream, 0, reset));
    await closed;
    expect(stream.destroyed).toBe(true);
  });

  it('refuses a stream id that does not increase', async () => {
    const { session, client } = await connected();
    const opened = once(session, 'stream');
    await client.openStream(5, { streamtype: 'data' });
    await opened;
    await client.openStream(3, { streamtype: 'data' });
    const reset = await client.until(isControl(controlType.rstStream));
    expect(parseTwoWords((reset as { payload: Buffer }).payload)).toEqual([3, 1]);
  });
});
