import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installAgent } from './installAgent';
import { createFakeProviderWithNode } from './providers/fakeProvider';

describe('installAgent', () => {
  it('writes the bundle and credentials under /kubedesk in one archive, then restarts the agent', async () => {
    const { provider, node } = await createFakeProviderWithNode();
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
    const { provider, node } = await createFakeProviderWithNode();
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'bundle.js'), '');
    await expect(
      installAgent(provider, node, { bundlePath: join(dir, 'bundle.js'), files: { '../etc/passwd': 'x' } }),
    ).rejects.toThrow(/must be relative/);
    expect(provider.files.size).toBe(0);
  });

  it('fails with the command and its output when the agent does not restart', async () => {
    const { provider, node } = await createFakeProviderWithNode();
    provider.setExecHandler(() => ({ exitCode: 127, stdout: '', stderr: 'kubedesk-agent: not found' }));
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'bundle.js'), '');
    await expect(installAgent(provider, node, { bundlePath: join(dir, 'bundle.js') })).rejects.toThrow(
      '/usr/local/bin/kubedesk-agent restart exited with 127: kubedesk-agent: not found',
    );
  });
});
