import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../cluster/log';
import { chooseShell } from './hostShell';
import { createHostTerminals } from './hostTerminals';
import { prepareShellTools } from './shellTools';
import type { TerminalSessions } from './terminalSessions';

// The host shell as a user gets it: real shells, the real bundled kubectl, the real `kubedesk`.

const dataDir = mkdtempSync(join(tmpdir(), 'kubedesk-terminal-'));
// The unpacked tools take about 120 MB.
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A stand-in for a user's kubectl that reports the given client version. */
function userKubectl(minor: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-user-bin-'));
  const version = JSON.stringify({ clientVersion: { major: '1', minor: String(minor) } });
  writeFileSync(join(dir, 'kubectl'), `#!/bin/sh\necho '${version}'\n`, { mode: 0o755 });
  return dir;
}

describe('chooseShell', () => {
  const exists =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);
  it('prefers $SHELL, then bash, then sh', () => {
    expect(chooseShell({ SHELL: '/usr/bin/zsh' }, 'linux', exists('/usr/bin/zsh', '/bin/bash'))).toBe(
      '/usr/bin/zsh',
    );
    expect(chooseShell({ SHELL: '/gone/fish' }, 'linux', exists('/bin/bash', '/bin/sh'))).toBe('/bin/bash');
    expect(chooseShell({}, 'linux', exists('/bin/sh'))).toBe('/bin/sh');
  });
  it('opens PowerShell on Windows', () => {
    expect(chooseShell({ PATH: '' }, 'win32')).toBe('powershell.exe');
  });
});

describe('prepareShellTools', () => {
  const base = { dataDir, appRoot: '/app', platform: 'linux' as const };

  it('keeps a user kubectl that works with this cluster', async () => {
    const bin = userKubectl(35);
    const tools = await prepareShellTools({ ...base, path: `${bin}:/usr/bin:/bin` });
    expect(tools.kubectl).toEqual({ path: join(bin, 'kubectl'), source: 'user' });
    expect(tools.path.split(':')[0]).toBe(join(dataDir, 'tools', 'bin'));
    expect(tools.notices).toEqual([]);
  });

  it('puts the bundled kubectl first when the user kubectl is outside the version skew, and says so', async () => {
    const bin = userKubectl(32);
    const tools = await prepareShellTools({ ...base, path: `${bin}:/bin` });
    expect(tools.kubectl?.source).toBe('bundled');
    expect(tools.path.split(':').slice(0, 3)).toEqual([
      join(dataDir, 'tools', 'bin'),
      join(dataDir, 'tools', 'kubectl-layer', 'kubectl'),
      bin,
    ]);
    expect(tools.notices.join('\n')).toMatch(/outside the version skew/);
  });
});

describe('the host shell', () => {
  let terminals: TerminalSessions;
  const home = mkdtempSync(join(tmpdir(), 'kubedesk-home-'));

  beforeAll(() => {
    terminals = createHostTerminals({
      dataDir,
      log: nullLogger,
      home,
      // No kubectl or helm of the user's: the bundled ones must appear.
      env: { PATH: '/usr/local/bin:/bin', SHELL: '/bin/bash', HOME: home },
    });
  });
  afterAll(async () => {
    await terminals.closeAll();
    rmSync(home, { recursive: true, force: true });
  });

  async function run(command: string, until: RegExp): Promise<string> {
    const session = await terminals.open({ kind: 'host', cols: 200, rows: 40 });
    let text = '';
    terminals.attach(session.id, (output) => {
      if (output.type !== 'data') return;
      const bytes = Buffer.from(output.data, 'base64');
      text += bytes.toString('utf8');
      terminals.acknowledge(session.id, bytes.length);
    });
    terminals.write(session.id, `${command}\r`);
    await expect.poll(() => text, { timeout: 20_000 }).toMatch(until);
    await terminals.close(session.id);
    return text;
  }

  it('points KUBECONFIG at the installation and starts in the home folder', async () => {
    const text = await run('echo "cfg=$KUBECONFIG" "cwd=$(pwd)"', /cfg=\S+ cwd=\S+\r\n/);
    expect(text).toContain(`cfg=${join(dataDir, 'kubeconfig')} cwd=${home}\r\n`);
  });

  it('has the bundled kubectl 1.35 and helm on PATH', async () => {
    const text = await run(
      'kubectl version --client; helm version --short',
      /Client Version: v1\.35[\s\S]*\nv\d+\./,
    );
    expect(text).toMatch(/Client Version: v1\.35\.\d+/);
  });

  it('has kubedesk on PATH, bound to this installation', async () => {
    const text = await run('kubedesk version', /Kubedesk \d+\.\d+\.\d+ \(Kubernetes API v1\.35/);
    expect(text).not.toContain('command not found');
    const wrapper = readFileSync(join(dataDir, 'tools', 'bin', 'kubedesk'), 'utf8');
    expect(wrapper).toContain(`--data-dir '${dataDir}'`);
  });
});
