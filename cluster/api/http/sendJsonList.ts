import type { ServerResponse } from 'node:http';

// A list reply written item by item: a list of 10,000 pods is ~28 MB of JSON, and building it as
// one string (then one Buffer) would double the host's memory peak for every LIST. The bytes are
// those JSON.stringify would give for the whole list.

/** Bytes gathered before each write; the socket's back-pressure is honoured between writes. */
const chunkChars = 1024 * 1024;

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Sends `{...head, "items": [...]}` with status 200, chunked; `items` are already JSON. */
export async function sendJsonList(
  res: ServerResponse,
  head: Record<string, unknown>,
  items: readonly string[],
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  let chunk = `${JSON.stringify(head).slice(0, -1)},"items":[`;
  for (let i = 0; i < items.length; i++) {
    chunk += (i === 0 ? '' : ',') + items[i];
    if (chunk.length < chunkChars) continue;
    const flushed = res.write(chunk);
    chunk = '';
    if (!flushed) await drained(res);
    if (res.destroyed) return;
  }
  res.end(`${chunk}]}`);
}
