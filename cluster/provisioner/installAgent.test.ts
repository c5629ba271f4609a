import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installAgent } from './installAgent';
import { createFakeProvider } from './providers/fakeProvider';

async function nodeOf() {
  const provider = createFakeProvider();
  provider.images.set('img', { id: 'sha256:1', labels: {} });
  await provider.ensureNetwork({ name: 'k-net', cluster: 'k', candidateSubnets: ['172.30.0.0/24'] });
  const node = await provider.createNode({
    cluster: 'k',
    name: 'k-node-1',
    index: 1,
    hostname: 'k-node-1',
    image: 'img',
    network: 'k-net',
    ip: '172.30.0.11',
    podCidr: '10.244.1.0/24',
    bridgeIp: '10.244.1.1/24',
    volume: 'k-node-1-docker',
    kubeletPort: 10250,
    extraHosts: [],
    env: {},
    labels: {},
  });
  return { provider, node };
}

describe('installAgent', () => {
  it('writes the bundle and credentials under /kubedesk in one archive, then restarts the agent', async () => {
    const { provider, node } = await nodeOf();
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'bundle.js'), 'console.log("agent")');
    await installAgent(provider, node, {
      bundlePath: join(dir, 'bundle.js'),
      files: { 'credentials/token': 'secret', 'credentials/ca.crt': new Uint8Array([67, 65]) },
    });
    const files = provider.files.get('k-node-1');
    expect(files?.get('/kubedesk/agent/agent.js')?.toString()).toBe('console.log("agent")');
    expect(files?.get('/kubedesk/credentials/token')?.toString()).toBe('secret');
    expect(files?.get('/kubedesk/credentials/ca.crt')?.toString()).toBe('CA');
    expect(provider.execs.map((e) => e.argv)).toEqual([['/usr/local/bin/kubedesk-agent', 'restart']]);
  });

  it('refuses paths that leave /kubedesk', async () => {
    const { provider, node } = await nodeOf();
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'bundle.js'), '');
    await expect(
      installAgent(provider, node, { bundlePath: join(dir, 'bundle.js'), files: { '../etc/passwd': 'x' } }),
    ).rejects.toThrow(/must be relative/);
    expect(provider.files.size).toBe(0);
  });

  it('fails with the command and its output when the agent does not restart', async () => {
    const { provider, node } = await nodeOf();
    provider.setExecHandler(() => ({ exitCode: 127, stdout: '', stderr: 'kubedesk-agent: not found' }));
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'bundle.js'), '');
    await expect(installAgent(provider, node, { bundlePath: join(dir, 'bundle.js') })).rejects.toThrow(
      '/usr/local/bin/kubedesk-agent restart exited with 127: kubedesk-agent: not found',
    );
  });
});
