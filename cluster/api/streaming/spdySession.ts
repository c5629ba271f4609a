import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  controlType,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  flagFin,
  goAwayPayload,
  parseStreamHeaders,
  parseSynStream,
  parseTwoWords,
  rstStatus,
  rstStreamPayload,
  type SpdyFrame,
  SpdyFrameReader,
  streamHeadersPayload,
  synStreamPayload,
  windowUpdatePayload,
} from './spdyFrames';
import { SpdyHeaderCompressor, SpdyHeaderDecompressor } from './spdyHeaderCompression';

// The server end of a SPDY/3.1 session over any byte stream (a TLS socket after `Upgrade:
// SPDY/3.1`, or a WebSocket carrying SPDY). The client opens streams; each arrives as a
// SpdyStream (a Duplex) that has already been answered with SYN_REPLY. With `role: 'client'` it
// is the other end (kubedesk port-forward): `openStream` sends SYN_STREAM and resolves on the
// SYN_REPLY, and streams the peer opens are refused.
//
// Flow control: we grant the peer more window (WINDOW_UPDATE, per stream and per session) as our
// consumers read, so a conforming sender never stalls. We do not hold our own sends to the peer's
// window: kubectl's SPDY library (moby/spdystream) never sends WINDOW_UPDATE, so honouring the
// initial 64 KiB window would stall every transfer beyond it.

const maxDataFrame = 32 * 1024;

export class SpdyStream extends Duplex {
  private unacknowledged = 0;
  private remoteFinished = false;
  private localFinished = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Map<string, string[]>,
  ) {
    super();
  }

  /** The first value of a request header (names are lower case). */
  header(name: string): string | undefined {
    return this.headers.get(name)?.[0];
  }

  receive(data: Buffer, fin: boolean): void {
    if (this.remoteFinished) return;
    if (data.length > 0) {
      this.unacknowledged += data.length;
      if (this.push(data)) this.acknowledge();
    }
    if (fin) {
      this.remoteFinished = true;
      this.push(null);
    }
  }

  resetByPeer(): void {
    this.remoteFinished = true;
    this.localFinished = true;
    // A reset is how a peer abandons a stream, not a failure of ours: close without an error.
    this.destroy();
  }

  private acknowledge(): void {
    if (this.unacknowledged === 0) return;
    // A finished stream needs no more window of its own, but the session's is shared.
    this.session.grantWindow(this.remoteFinished ? undefined : this.id, this.unacknowledged);
    this.unacknowledged = 0;
  }

  override _read(): void {
    this.acknowledge();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.localFinished = true;
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => done(), done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (!(this.localFinished && this.remoteFinished)) this.session.reset(this.id, rstStatus.cancel);
    this.session.forget(this.id);
    done(err);
  }
}

export interface SpdySessionOptions {
  /** Which end of the session this is; default server. Clients use odd stream ids, servers even. */
  role?: 'server' | 'client';
}

export class SpdySession extends EventEmitter<{ stream: [SpdyStream]; close: [Error | undefined] }> {
  private readonly reader = new SpdyFrameReader();
  private readonly compressor = new SpdyHeaderCompressor();
  private readonly decompressor = new SpdyHeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;
  private readonly role: 'server' | 'client';
  private nextOwnStreamId: number;
  private readonly opening = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  constructor(
    private readonly transport: Duplex,
    options: SpdySessionOptions = {},
  ) {
    super();
    this.role = options.role ?? 'server';
    this.nextOwnStreamId = this.role === 'client' ? 1 : 2;
    transport.on('data', (chunk: Buffer) => {
      let frames: SpdyFrame[];
      try {
        frames = this.reader.push(chunk);
      } catch (err) {
        this.terminate(err as Error);
        return;
      }
      for (const frame of frames) {
        this.inbound = this.inbound.then(() => (this.closed ? undefined : this.handle(frame)));
      }
      this.inbound = this.inbound.catch((err: Error) => this.terminate(err));
    });
    transport.on('end', () => {
      this.terminate();
      this.transport.end();
    });
    transport.on('close', () => this.terminate());
    transport.on('error', (err) => this.terminate(err));
  }

  /** Sends GOAWAY and ends the transport once queued frames are out. */
  close(): void {
    if (this.closed) return;
    void this.send(() => encodeControlFrame(controlType.goAway, 0, goAwayPayload(this.lastStreamId, 0)))
      .catch(() => undefined)
      .finally(() => this.transport.end());
    this.terminate();
  }

  /** Opens a stream with these request headers; resolves once the peer replies (SYN_REPLY). */
  async openStream(headers: Record<string, string>): Promise<SpdyStream> {
    if (this.closed) throw new Error('SPDY session closed');
    const id = this.nextOwnStreamId;
    this.nextOwnStreamId += 2;
    const stream = new SpdyStream(
      this,
      id,
      new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), [value]])),
    );
    this.streams.set(id, stream);
    const replied = new Promise<void>((resolve, reject) => this.opening.set(id, { resolve, reject }));
    const sent = this.send(async () =>
      encodeControlFrame(
        controlType.synStream,
        0,
        synStreamPayload(id, await this.compressor.compress(encodeHeaderBlock(headers))),
      ),
    );
    // Both awaited together: the reply may fail (session closed) before the send settles.
    await Promise.all([sent, replied]);
    return stream;
  }

  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    if (data.length <= maxDataFrame) {
      return this.send(() => encodeDataFrame(streamId, fin ? flagFin : 0, data));
    }
    let sent = Promise.resolve();
    for (let offset = 0; offset < data.length; offset += maxDataFrame) {
      const last = offset + maxDataFrame >= data.length;
      const part = data.subarray(offset, offset + maxDataFrame);
      sent = this.send(() => encodeDataFrame(streamId, last && fin ? flagFin : 0, part));
    }
    return sent;
  }

  /** WINDOW_UPDATE for the stream (when given) and for the session (stream 0). */
  grantWindow(streamId: number | undefined, delta: number): void {
    for (const id of streamId === undefined ? [0] : [streamId, 0]) {
      void this.send(() =>
        encodeControlFrame(controlType.windowUpdate, 0, windowUpdatePayload(id, delta)),
      ).catch(() => undefined);
    }
  }

  reset(streamId: number, status: number): void {
    void this.send(() =>
      encodeControlFrame(controlType.rstStream, 0, rstStreamPayload(streamId, status)),
    ).catch(() => undefined);
  }

  forget(streamId: number): void {
    this.streams.delete(streamId);
  }

  /** Queues one frame; frames leave in the order queued, header blocks compressed in that order. */
  private send(build: () => Buffer | Promise<Buffer>): Promise<void> {
    const sent = this.outbound.then(async () => {
      const frame = await build();
      if (this.transport.destroyed || this.transport.writableEnded) throw new Error('SPDY session closed');
      await new Promise<void>((resolve, reject) =>
        this.transport.write(frame, (err) => (err ? reject(err) : resolve())),
      );
    });
    this.outbound = sent.catch(() => undefined);
    return sent;
  }

  private async reply(stream: SpdyStream): Promise<void> {
    await this.send(async () =>
      encodeControlFrame(
        controlType.synReply,
        0,
        streamHeadersPayload(stream.id, await this.compressor.compress(encodeHeaderBlock({}))),
      ),
    );
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (frame.kind === 'data') {
      this.streams.get(frame.streamId)?.receive(frame.data, (frame.flags & flagFin) !== 0);
      return;
    }
    switch (frame.type) {
      case controlType.synStream:
        return this.acceptStream(frame.payload, (frame.flags & flagFin) !== 0);
      case controlType.synReply:
      case controlType.headers: {
        // The block must be inflated even when unused, to keep the shared zlib context in step.
        const { streamId, headerBlock } = parseStreamHeaders(frame.payload);
        await this.decompressor.decompress(headerBlock);
        if (frame.type === controlType.synReply) this.settleOpening(streamId);
        return;
      }
      case controlType.rstStream: {
        const [streamId] = parseTwoWords(frame.payload);
        this.settleOpening(streamId, new Error(`stream ${streamId} refused by the peer`));
        this.streams.get(streamId)?.resetByPeer();
        return;
      }
      case controlType.ping:
        // Pings the peer started (odd ids from a client, even from a server) are echoed; that is the whole answer.
        if (frame.payload.readUInt32BE(0) % 2 === (this.role === 'server' ? 1 : 0)) {
          await this.send(() => encodeControlFrame(controlType.ping, 0, frame.payload));
        }
        return;
      case controlType.goAway:
        this.close();
        return;
      default:
        // SETTINGS and WINDOW_UPDATE need no action (see the note on flow control above).
        return;
    }
  }

  private async acceptStream(payload: Buffer, fin: boolean): Promise<void> {
    const syn = parseSynStream(payload);
    const headers = decodeHeaderBlock(await this.decompressor.decompress(syn.headerBlock));
    if (this.role === 'client' || syn.streamId % 2 === 0 || syn.streamId <= this.lastStreamId) {
      this.reset(syn.streamId, rstStatus.protocolError);
      return;
    }
    this.lastStreamId = syn.streamId;
    const stream = new SpdyStream(this, syn.streamId, headers);
    this.streams.set(stream.id, stream);
    await this.reply(stream);
    if (fin) stream.receive(Buffer.alloc(0), true);
    this.emit('stream', stream);
  }

  private settleOpening(streamId: number, err?: Error): void {
    const pending = this.opening.get(streamId);
    if (!pending) return;
    this.opening.delete(streamId);
    if (err) pending.reject(err);
    else pending.resolve();
  }

  private terminate(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.opening.keys()])
      this.settleOpening(id, err ?? new Error('SPDY session closed'));
    for (const stream of this.streams.values()) stream.destroy();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    if (err) this.transport.destroy();
    this.emit('close', err);
  }
}
