import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HookTarget, runLifecycleHandler } from './lifecycleHooks';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const target = (
  exec: HookTarget['exec'] = async () => 0,
  ports: Record<string, number> = {},
): HookTarget => ({
  podIP: '127.0.0.1',
  exec,
  namedPort: (name) => ports[name],
  container: 'web',
  pod: 'web-0_default(uid-1)',
});

const never = new AbortController().signal;

describe('runLifecycleHandler', () => {
  it('runs an exec hook and fails it on a non-zero exit, naming the container and pod', async () => {
    const ran: string[][] = [];
    await runLifecycleHandler(
      { exec: { command: ['sh', '-c', 'true'] } },
      target(async (command) => {
        ran.push(command);
        return 0;
      }),
      never,
    );
    expect(ran).toEqual([['sh', '-c', 'true']]);
    await expect(
      runLifecycleHandler(
        { exec: { command: ['false'] } },
        target(async () => 1),
        never,
      ),
    ).rejects.toThrow(
      `Exec lifecycle hook ([false]) for Container "web" in Pod "web-0_default(uid-1)" failed - error: command 'false' exited with 1`,
    );
  });

  it('sends an httpGet hook to a named port with its headers; only a failed request fails it', async () => {
    const seen: string[] = [];
    const port = await listen((req, res) => {
      seen.push(`${req.url} ${req.headers['x-hook']}`);
      res.statusCode = 500;
      res.end();
    });
    const handler = {
      httpGet: { path: '/drain', port: 'http', httpHeaders: [{ name: 'X-Hook', value: 'preStop' }] },
    };
    await runLifecycleHandler(handler, target(undefined, { http: port }), never);
    expect(seen).toEqual(['/drain preStop']);
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(runLifecycleHandler(handler, target(undefined, { http: port }), never)).rejects.toThrow(
      /^HTTP lifecycle hook \(\/drain\) for Container "web" .* failed - error: .*ECONNREFUSED/,
    );
    await expect(runLifecycleHandler({ httpGet: { port: 'nope' } }, target(), never)).rejects.toThrow(
      "couldn't find port: nope",
    );
  });

  it('sleeps the whole time, and fails when the signal cuts the sleep short', async () => {
    const started = performance.now();
    await runLifecycleHandler({ sleep: { seconds: 1 } }, target(), never);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    await expect(
      runLifecycleHandler({ sleep: { seconds: 30 } }, target(), AbortSignal.timeout(50)),
    ).rejects.toThrow(
      'Sleep lifecycle hook (30) for Container "web" in Pod "web-0_default(uid-1)" failed - error: container terminated before sleep hook finished',
    );
  });

  it('fails an exec hook the signal stopped, and refuses tcpSocket, which hooks never run', async () => {
    const aborted = AbortSignal.abort();
    await expect(
      runLifecycleHandler(
        { exec: { command: ['sleep', '60'] } },
        target(async () => -1),
        aborted,
      ),
    ).rejects.toThrow("command 'sleep 60' was stopped before it finished");
    await expect(runLifecycleHandler({ tcpSocket: { port: 80 } }, target(), never)).rejects.toThrow(
      'Cannot run handler for Container "web" in Pod "web-0_default(uid-1)": invalid handler',
    );
  });
});
