import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKubeClient } from '../compose/deploy/kubeClient';
import { listProjectObjects } from '../compose/deploy/projectObjects';
import { type ControlPlane, startControlPlane } from '../controlPlane';
import { writeHostState } from '../host/hostState';
import { createMemoryStore } from '../store/memoryStore';
import { registerComposeCommand } from './compose';

// `kubedesk compose` driven through commander against an in-process control plane, recorded in
// host.json under this test's pid the way a running host records itself.

describe('kubedesk compose up, ps and down', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubedesk-compose-cli-'));
  const dataDir = join(root, 'data');
  let controlPlane: ControlPlane;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ dataDir, store: createMemoryStore(), port: 0 });
    writeFileSync(
      join(root, 'compose.yaml'),
      'services:\n  worker:\n    image: busybox:1.36\n    command: ["sleep", "3600"]\n    ulimits: { nofile: 1024 }\n',
    );
  });
  afterAll(async () => {
    await controlPlane?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function run(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const program = new Command('kubedesk')
      .option('--data-dir <dir>')
      .exitOverride()
      .configureOutput({ writeErr: (t) => (stderr += t) });
    registerComposeCommand(program, () => ({
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env: {},
      cwd: root,
    }));
    let error: Error | undefined;
    try {
      await program.parseAsync(['--data-dir', dataDir, 'compose', ...args], { from: 'user' });
    } catch (err) {
      error = err as Error;
    }
    return { stdout, stderr, error };
  }

  it('fails with how to start the cluster when it is not running', async () => {
    const { error } = await run('up', '-f', 'compose.yaml', '--no-wait');
    expect(error?.message).toBe(
      `Kubernetes is not running for ${dataDir} (Kubedesk is not running): start it with kubedesk start`,
    );
  });

  it('fails on invalid compose with one line naming file, line and key, before touching the cluster', async () => {
    writeFileSync(join(root, 'bad.yaml'), 'services:\n  web:\n    image: nginx\n    ports: 80\n');
    const { error } = await run('up', '-f', 'bad.yaml');
    expect(error?.message).toMatch(new RegExp(`^${join(root, 'bad.yaml')}:4: services\\.web\\.ports: `));
    expect(error?.message.split('\n')).toHaveLength(1);
  });

  it('applies, lists and removes the project on the running cluster', async () => {
    writeHostState(dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      kubeconfigPath: controlPlane.kubeconfigPath,
      cluster: { state: 'running', message: 'test', apiServerUrl: controlPlane.url, nodes: 0 },
    });
    const up = await run('up', '-f', 'compose.yaml', '-p', 'jobs', '-n', 'jobs', '--no-wait');
    expect(up.error).toBeUndefined();
    expect(up.stdout.split('\n')[1]).toMatch(/^worker\s+applied\s+not waiting for rollout$/);
    expect(up.stderr).toContain('[worker] apply: applied 1 objects');

    const ps = await run('ps', '-p', 'jobs');
    expect(ps.stdout).toMatch(/^SERVICE\s+KIND\s+NAME\s+NAMESPACE\s+STATUS/);
    // No node runs pods, so the Deployment is listed but not available.
    expect(ps.stdout.split('\n')[1]).toMatch(/^worker\s+Deployment\s+worker\s+jobs\s+\S/);
    expect(ps.stdout).not.toContain('1 of 1 replicas available');

    const down = await run('down', '-f', 'compose.yaml', '-p', 'jobs');
    expect(down.stdout).toBe('removed deployment/worker (jobs)\nremoved namespace/jobs\n');
    expect(await listProjectObjects(openKubeClient(controlPlane.kubeconfigPath), 'jobs')).toEqual([]);
  });
});
