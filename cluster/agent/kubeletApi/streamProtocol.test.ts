import { describe, expect, it } from 'vitest';
import { demux, parseLogQuery } from './containerLogs';
import { parseStreamFlags } from './execSession';
import { parsePort } from './portForwardProtocol';
import { exitStatus, frame, parseResize } from './streamProtocol';

describe('remotecommand framing', () => {
  it('prefixes the channel byte', () => {
    expect([...frame(1, 'hi')]).toEqual([1, 104, 105]);
  });

  it('reports exit codes the way kubectl reads them', () => {
    expect(JSON.parse(exitStatus(0))).toEqual({ metadata: {}, status: 'Success' });
    expect(JSON.parse(exitStatus(3))).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('reads resize messages and ignores malformed ones', () => {
    expect(parseResize(Buffer.from('{"Width":80,"Height":24}'))).toEqual({ Width: 80, Height: 24 });
    expect(parseResize(Buffer.from('nope'))).toBeUndefined();
  });
});

describe('kubelet API queries', () => {
  it('parses log and stream options', () => {
    expect(parseLogQuery(new URLSearchParams('follow=true&tailLines=5&timestamps=1&sinceSeconds=x'))).toEqual(
      { follow: true, timestamps: true, tailLines: 5 },
    );
    expect(parseStreamFlags(new URLSearchParams('stdin=true&stdout=true&tty=true'))).toEqual({
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
    expect([parsePort('8080'), parsePort('0'), parsePort('70000'), parsePort('http')]).toEqual([
      8080,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('strips Docker stream headers from logs', () => {
    const chunk = (stream: number, text: string) =>
      Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, text.length]), Buffer.from(text)]);
    expect(demux(Buffer.concat([chunk(1, 'out\n'), chunk(2, 'err\n')])).toString()).toBe('out\nerr\n');
  });
});
