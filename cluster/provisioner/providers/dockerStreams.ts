import type Docker from 'dockerode';

// Engine API stream formats: JSON-lines progress (pull, build, import) and framed container logs.

/** Reads a JSON-lines progress stream (pull, build, import) to its end; an `error` entry rejects. */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onEntry?: (entry: ProgressEntry) => void,
) {
  return new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: ProgressEntry[]) => {
        const failed = output.find((entry) => entry.error || entry.errorDetail);
        if (err) reject(err);
        else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
        else resolve();
      },
      onEntry,
    );
  });
}

interface ProgressEntry {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Non-TTY container logs come framed: an 8-byte header (stream, 0, 0, 0, size) before each chunk. */
export function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
