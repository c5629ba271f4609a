// Test support: a throwaway etcd (Debian's etcd-server) on free loopback ports with a temp data dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdServer {
  endpoint: string;
  /** Kills etcd and starts it again on the same ports and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  binary?: string;
  readyTimeoutMs?: number;
}

export async function startEtcdServer(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  const binary = options.binary ?? '/usr/bin/etcd';
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} not found: the etcd store tests need etcd; install the Debian package etcd-server`,
    );
  }
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-etcd-'));
  const args = [
    '--name=test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=test=${peer}`,
    '--logger=zap',
    '--log-level=error',
  ];
  let output = '';
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    });
    try {
      await waitHealthy(endpoint, started, options.readyTimeoutMs ?? 20_000);
    } catch (err) {
      await stop();
      throw new Error(`etcd did not become healthy: ${(err as Error).message}\n${output}`, { cause: err });
    }
  };
  const stop = async () => {
    if (child) await kill(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const restart = async () => {
    if (child) await kill(child);
    await start();
  };
  await start();
  return { endpoint, restart, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitHealthy(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}`);
    const healthy = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return;
    if (Date.now() > deadline) throw new Error(`no healthy answer from ${endpoint} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
