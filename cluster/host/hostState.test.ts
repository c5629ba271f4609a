import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type HostState, hostStatePath, readHostState, removeHostState, writeHostState } from './hostState';

const tempDir = () => mkdtempSync(join(tmpdir(), 'kubedesk-hoststate-'));
const state = (pid: number): HostState => ({
  pid,
  startedAt: new Date(0).toISOString(),
  cluster: { state: 'running', message: 'API server at https://127.0.0.1:6443', nodes: 0 },
});

describe('host.json', () => {
  it('finds the host of this process', () => {
    const dir = tempDir();
    writeHostState(dir, state(process.pid));
    expect(readHostState(dir)?.cluster.state).toBe('running');
  });

  it('ignores a file left behind by a host that died', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    writeHostState(dir, state(child.pid as number));
    expect(readHostState(dir)).toBeUndefined();
  });

  it('ignores unreadable files', () => {
    const dir = tempDir();
    writeFileSync(hostStatePath(dir), '{"pid": ');
    expect(readHostState(dir)).toBeUndefined();
  });

  it('is removed only by the host that wrote it', () => {
    const dir = tempDir();
    writeHostState(dir, state(process.pid));
    removeHostState(dir, process.pid + 1);
    expect(readHostState(dir)).toBeDefined();
    removeHostState(dir, process.pid);
    expect(readHostState(dir)).toBeUndefined();
  });
});
