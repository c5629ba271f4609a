import type { ServerResponse } from 'node:http';

// A list reply written page by page: a list of 10,000 pods is ~28 MB of JSON, and building it as
// one string (then one Buffer) would double the host's memory peak for every LIST. The bytes are
// those JSON.stringify would give for the whole list.

/** Size of the two buffers a reply is encoded into, in turns. Reused, so a LIST allocates no
 * memory per item outside the V8 heap: a 28 MB list would otherwise leave tens of MB of dead
 * Buffers waiting for a full garbage collection. */
const chunkBytes = 256 * 1024;

/**
 * Sends `{...head, "items": [...]}` with status 200, chunked; `pages` hold the items, already in
 * JSON. The reply has started once the first page is written, so a page that fails later can only
 * cut the connection (the client sees a truncated body, never a list that looks complete).
 */
export async function sendJsonList(
  res: ServerResponse,
  head: Record<string, unknown>,
  pages: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  // Two buffers in turns: one fills while the socket takes the other. A write's callback runs once
  // the socket is done with its bytes, whether they were sent or the connection failed.
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let spare = Buffer.allocUnsafe(chunkBytes);
  let spareWritten = Promise.resolve();
  let used = chunk.write(`${JSON.stringify(head).slice(0, -1)},"items":[`);
  let items = 0;
  const flush = async (): Promise<void> => {
    const full = chunk.subarray(0, used);
    const written = new Promise<void>((resolve) => res.write(full, () => resolve()));
    await spareWritten;
    [chunk, spare, spareWritten, used] = [spare, chunk, written, 0];
  };
  const write = async (page: readonly string[]): Promise<boolean> => {
    for (const item of page) {
      const text = items++ === 0 ? item : `,${item}`;
      const size = Buffer.byteLength(text);
      if (used + size > chunkBytes) await flush();
      if (res.destroyed) return false;
      if (size > chunkBytes) res.write(text);
      else used += chunk.write(text, used);
    }
    return true;
  };
  try {
    for await (const page of pages) if (!(await write(page))) return;
  } catch (err) {
    res.destroy(err as Error);
    return;
  }
  used += chunk.write(']}', used);
  res.end(chunk.subarray(0, used));
}
