import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SpdySession, type SpdyStream } from './spdySession';

// The client role of SpdySession (kubedesk port-forward) against the server role the API server
// uses, over an in-memory byte pipe.

function pipePair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const side = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        peer().push(chunk);
        done();
      },
      final(done) {
        peer().push(null);
        done();
      },
    });
  a = side(() => b);
  b = side(() => a);
  return [a, b];
}

const readAll = (stream: SpdyStream) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });

describe('SpdySession as a client', () => {
  it('opens streams the server receives with their headers, and exchanges data both ways with half-close', async () => {
    const [clientEnd, serverEnd] = pipePair();
    const server = new SpdySession(serverEnd);
    const client = new SpdySession(clientEnd, { role: 'client' });
    const received: { headers: { port: string; type: string }; body: string }[] = [];
    server.on('stream', (stream) => {
      readAll(stream).then((body) => {
        received.push({
          headers: { port: stream.header('port') ?? '', type: stream.header('streamtype') ?? '' },
          body,
        });
        stream.end(`echo:${body}`);
      });
    });
    const first = await client.openStream({ streamtype: 'data', port: '80', requestid: '0' });
    const second = await client.openStream({ streamtype: 'data', port: '81', requestid: '1' });
    expect([first.id, second.id]).toEqual([1, 3]);
    const answers = Promise.all([readAll(first), readAll(second)]);
    first.end('one');
    second.end('two');
    expect(await answers).toEqual(['echo:one', 'echo:two']);
    expect(received.map((r) => r.headers).sort((a, b) => a.port.localeCompare(b.port))).toEqual([
      { port: '80', type: 'data' },
      { port: '81', type: 'data' },
    ]);
    client.close();
  });

  it('fails streams still opening when the session closes', async () => {
    const [clientEnd] = pipePair();
    const client = new SpdySession(clientEnd, { role: 'client' });
    const opening = client.openStream({ streamtype: 'error', port: '80', requestid: '0' });
    clientEnd.destroy();
    await expect(opening).rejects.toThrow(/closed/);
  });
});
