import type { ServerResponse } from 'node:http';
import { PassThrough, Transform } from 'node:stream';
import type Docker from 'dockerode';

// GET /containerLogs/<ns>/<pod>/<container>?follow&tailLines&timestamps&previous&sinceSeconds
//   &sinceTime&limitBytes:
// the container's json-file log from the node's dockerd, streamed as text/plain.

export interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339 time; sinceSeconds wins when both are given. */
  sinceTime?: Date;
  limitBytes?: number;
}

export function parseLogQuery(params: URLSearchParams): LogQuery {
  const flag = (name: string) => params.get(name) === 'true' || params.get(name) === '1';
  const number = (name: string) => {
    const value = params.get(name);
    return value && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const tailLines = number('tailLines');
  const sinceSeconds = number('sinceSeconds');
  const limitBytes = number('limitBytes');
  const sinceTime = params.get('sinceTime') ? new Date(params.get('sinceTime') ?? '') : undefined;
  return {
    follow: flag('follow'),
    timestamps: flag('timestamps'),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(sinceTime && !Number.isNaN(sinceTime.getTime()) ? { sinceTime } : {}),
    ...(limitBytes ? { limitBytes } : {}),
  };
}

export async function streamLogs(
  docker: Docker,
  containerId: string,
  query: LogQuery,
  res: ServerResponse,
  now = Date.now(),
): Promise<void> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  const options = {
    stdout: true,
    stderr: true,
    timestamps: query.timestamps,
    ...(query.tailLines !== undefined ? { tail: query.tailLines } : {}),
    ...(sinceOf(query, now) !== undefined ? { since: sinceOf(query, now) } : {}),
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  const out = query.limitBytes ? byteLimit(query.limitBytes) : new PassThrough();
  out.pipe(res);
  if (query.follow) {
    const stream = await container.logs({ ...options, follow: true });
    res.on('close', () => (stream as unknown as { destroy(): void }).destroy());
    if (info.Config.Tty) stream.pipe(out);
    else {
      docker.modem.demuxStream(stream, out, out);
      stream.on('end', () => out.end());
    }
    return;
  }
  const buffer = await container.logs({ ...options, follow: false });
  if (info.Config.Tty) out.end(buffer);
  else out.end(demux(buffer));
}

function sinceOf(query: LogQuery, now: number): number | undefined {
  if (query.sinceSeconds !== undefined) return Math.floor(now / 1000) - query.sinceSeconds;
  return query.sinceTime ? Math.floor(query.sinceTime.getTime() / 1000) : undefined;
}

/** Passes the first `limit` bytes, then ends the reply (which also stops a followed log). */
function byteLimit(limit: number): Transform {
  let left = limit;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (left <= 0) return done();
      const part = chunk.subarray(0, left);
      left -= part.length;
      this.push(part);
      if (left <= 0) this.push(null);
      done();
    },
  });
}

/** Docker's multiplexed log format: 8-byte headers (stream, 0, 0, 0, size as uint32 BE) before each chunk. */
export function demux(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts);
}
