import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { spdyHeaderDictionary } from './spdyDictionary';

// SPDY compresses every header block of one direction of a session as a single zlib stream
// (preset dictionary, a sync flush after each block), so each side keeps one deflate and one
// inflate context for the whole session. Blocks are processed strictly in order.

class ZlibContext {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly stream: Deflate | Inflate) {
    // Errors reach the caller through the pending `run`; this keeps an unheard one from throwing.
    stream.on('error', () => undefined);
  }

  run(input: Buffer): Promise<Buffer> {
    const result = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const chunks: Buffer[] = [];
          const onData = (chunk: Buffer) => chunks.push(chunk);
          const onError = (err: Error) => {
            this.stream.off('data', onData);
            reject(err);
          };
          this.stream.on('data', onData);
          this.stream.once('error', onError);
          this.stream.write(input);
          this.stream.flush(constants.Z_SYNC_FLUSH, () => {
            this.stream.off('data', onData);
            this.stream.off('error', onError);
            resolve(Buffer.concat(chunks));
          });
        }),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.stream.destroy();
  }
}

export class SpdyHeaderCompressor {
  private readonly context = new ZlibContext(
    createDeflate({ dictionary: spdyHeaderDictionary, level: constants.Z_BEST_COMPRESSION }),
  );

  compress(block: Buffer): Promise<Buffer> {
    return this.context.run(block);
  }

  close(): void {
    this.context.close();
  }
}

export class SpdyHeaderDecompressor {
  private readonly context = new ZlibContext(createInflate({ dictionary: spdyHeaderDictionary }));

  decompress(block: Buffer): Promise<Buffer> {
    return this.context.run(block);
  }

  close(): void {
    this.context.close();
  }
}
