// The remotecommand WebSocket framing kubectl and client-node speak (apimachinery
// pkg/util/remotecommand/constants.go): every binary message is one channel byte plus data.

export const streamProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

export const channel = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export function frame(ch: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([ch]), body]);
}

/** The Status sent on channel 3 when the command ends; kubectl exits with the code it carries. */
export function exitStatus(exitCode: number): string {
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command, exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

export function errorStatus(message: string): string {
  return JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError' });
}

/** A terminal size as remotecommand clients send it, and as Docker's resize takes it. */
export interface TerminalSize {
  Width: number;
  Height: number;
}

export function parseResize(data: Buffer): TerminalSize | undefined {
  try {
    const size = JSON.parse(data.toString('utf8')) as { Width?: number; Height?: number };
    return typeof size.Width === 'number' && typeof size.Height === 'number'
      ? { Width: size.Width, Height: size.Height }
      : undefined;
  } catch {
    return undefined;
  }
}
