// Tells the host how many output bytes the terminal has rendered, in batches: soon enough that the
// host never waits long at its high-water mark (1 MiB), rarely enough not to flood the host with calls.

export interface AcknowledgerOptions {
  /** Acknowledge at once when this much is waiting. */
  batchBytes?: number;
  /** Otherwise acknowledge this long after the first unacknowledged byte. */
  delayMs?: number;
}

export interface Acknowledger {
  rendered(bytes: number): void;
  dispose(): void;
}

export function createAcknowledger(
  send: (bytes: number) => void,
  options: AcknowledgerOptions = {},
): Acknowledger {
  const batchBytes = options.batchBytes ?? 128 * 1024;
  const delayMs = options.delayMs ?? 16;
  let waiting = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting > 0 && !disposed) send(waiting);
    waiting = 0;
  };

  return {
    rendered(bytes) {
      waiting += bytes;
      if (waiting >= batchBytes) flush();
      else timer ??= setTimeout(flush, delayMs);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

/** The bytes of a base64 chunk, as xterm.js takes them (it decodes UTF-8 across chunk edges). */
export function decodeBase64(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
