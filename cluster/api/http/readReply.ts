import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

// Reads a reply of the API server whole, for its HTTPS clients (the dashboard's writes, tests): the
// status, the text and, when the text is JSON (an object or a Status), the parsed body.

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** undefined when the reply was not JSON. */
  body: unknown;
}

export function readReply(res: IncomingMessage): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
    });
  });
}
