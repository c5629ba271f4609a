import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildKubeconfig,
  buildKubeconfigEntry,
  KubeconfigFileError,
  mergeIntoUserKubeconfig,
  removeFromUserKubeconfig,
  resolveUserKubeconfigPath,
  writeKubeconfig,
} from './index';

const opts = {
  name: 'kubedesk',
  server: 'https://127.0.0.1:6443',
  caCert: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCert: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  clientKey: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
};
const entry = buildKubeconfigEntry(opts);

const existing = `# my clusters
apiVersion: v1
kind: Config
clusters:
  - name: prod # the real one
    cluster:
      server: https://prod.example.com
      insecure-skip-tls-verify: true
  - name: kubedesk
    cluster:
      server: https://127.0.0.1:1111
users:
  - name: prod
    user:
      token: abc
contexts:
  - name: prod
    context:
      cluster: prod
      user: prod
      namespace: team
current-context: prod
preferences:
  colors: true
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-kubeconfig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const load = async (path: string) => parse(await readFile(path, 'utf8'));
const named = (list: Record<string, unknown>[], name: string): Record<string, unknown> | undefined =>
  list.find((i) => i.name === name);

describe('buildKubeconfig', () => {
  it('embeds the certificates as base64 data and selects its own context', () => {
    const config = buildKubeconfig(opts);
    expect(config.clusters[0]?.cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      'certificate-authority-data': Buffer.from(opts.caCert).toString('base64'),
    });
    expect(Buffer.from(config.users[0]?.user['client-key-data'] ?? '', 'base64').toString()).toBe(
      opts.clientKey,
    );
    expect(config.contexts).toEqual([
      { name: 'kubedesk', context: { cluster: 'kubedesk', user: 'kubedesk' } },
    ]);
    expect(config['current-context']).toBe('kubedesk');
  });

  it('writes YAML readable only by the owner', async () => {
    const path = join(dir, 'kubeconfig');
    await writeKubeconfig(path, buildKubeconfig(opts));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await load(path)).toEqual(buildKubeconfig(opts));
  });
});

describe('resolveUserKubeconfigPath', () => {
  it('defaults to ~/.kube/config', () => {
    expect(resolveUserKubeconfigPath({}, '/home/me')).toBe(join('/home/me', '.kube', 'config'));
    expect(resolveUserKubeconfigPath({ KUBECONFIG: '' }, '/home/me')).toBe(
      join('/home/me', '.kube', 'config'),
    );
  });

  it('uses a single $KUBECONFIG entry even if it does not exist yet', () => {
    expect(resolveUserKubeconfigPath({ KUBECONFIG: '/nowhere/config' }, '/home/me')).toBe('/nowhere/config');
  });

  it('picks the first existing entry of a list, else the last, as kubectl does', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const list = [join(dir, 'missing'), a, b].join(delimiter);
    expect(resolveUserKubeconfigPath({ KUBECONFIG: list }, '/home/me')).toBe(b);
    await writeFile(a, '');
    expect(resolveUserKubeconfigPath({ KUBECONFIG: list }, '/home/me')).toBe(a);
  });
});

describe('mergeIntoUserKubeconfig', () => {
  it('creates a missing file (and its directory) with mode 0600', async () => {
    const path = join(dir, '.kube', 'config');
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'ifUnset' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const config = await load(path);
    expect(config.apiVersion).toBe('v1');
    expect(config.kind).toBe('Config');
    expect(named(config.clusters, 'kubedesk')?.cluster).toEqual(entry.cluster);
    expect(config['current-context']).toBe('kubedesk');
  });

  it('replaces only the kubedesk stanzas and keeps everything else, comments included', async () => {
    const path = join(dir, 'config');
    await writeFile(path, existing, { mode: 0o640 });
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'never' });
    const text = await readFile(path, 'utf8');
    const config = parse(text);
    const before = parse(existing);
    expect(config.clusters).toHaveLength(2);
    expect(named(config.clusters, 'prod')).toEqual(named(before.clusters, 'prod'));
    expect(named(config.clusters, 'kubedesk')?.cluster).toEqual(entry.cluster);
    expect(named(config.users, 'prod')).toEqual(named(before.users, 'prod'));
    expect(named(config.users, 'kubedesk')?.user).toEqual(entry.user);
    expect(named(config.contexts, 'prod')).toEqual(named(before.contexts, 'prod'));
    expect(named(config.contexts, 'kubedesk')?.context).toEqual(entry.context);
    expect(config['current-context']).toBe('prod');
    expect(config.preferences).toEqual({ colors: true });
    expect(text).toContain('# my clusters');
    expect(text).toContain('# the real one');
    // The user's own permissions on an existing file are kept.
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it('switches context always, never, or only when none is set', async () => {
    const path = join(dir, 'config');
    await writeFile(path, existing);
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'ifUnset' });
    expect((await load(path))['current-context']).toBe('prod');
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' });
    expect((await load(path))['current-context']).toBe('kubedesk');
  });

  it('is idempotent', async () => {
    const path = join(dir, 'config');
    await writeFile(path, existing);
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' });
    const once = await readFile(path, 'utf8');
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' });
    expect(await readFile(path, 'utf8')).toBe(once);
  });

  it('fills in sections that are empty or missing', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'apiVersion: v1\nkind: Config\nclusters:\nusers: []\n');
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'ifUnset' });
    const config = await load(path);
    expect(config.clusters).toHaveLength(1);
    expect(config.users).toHaveLength(1);
    expect(config.contexts).toHaveLength(1);
  });

  it('refuses to touch a file that is not valid YAML, naming it', async () => {
    const path = join(dir, 'config');
    const broken = 'clusters:\n  - name: a\n   bad: [unclosed\n';
    await writeFile(path, broken);
    await expect(mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' })).rejects.toThrow(
      KubeconfigFileError,
    );
    await expect(mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' })).rejects.toThrow(
      `${path} is not valid YAML`,
    );
    expect(await readFile(path, 'utf8')).toBe(broken);
  });

  it('refuses a file whose top level or sections have the wrong shape', async () => {
    const path = join(dir, 'config');
    await writeFile(path, '- just\n- a list\n');
    await expect(mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' })).rejects.toThrow(
      'top level is not a mapping',
    );
    await writeFile(path, 'clusters: nope\n');
    await expect(mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' })).rejects.toThrow(
      '"clusters" is not a list',
    );
    expect(await readFile(path, 'utf8')).toBe('clusters: nope\n');
  });

  it('keeps a JSON kubeconfig in JSON', async () => {
    const path = join(dir, 'config');
    const before = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'a', cluster: { server: 'https://a' } }],
    };
    await writeFile(path, JSON.stringify(before));
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'ifUnset' });
    const after = JSON.parse(await readFile(path, 'utf8'));
    expect(after.clusters).toEqual([...before.clusters, { name: 'kubedesk', cluster: entry.cluster }]);
    expect(after['current-context']).toBe('kubedesk');
  });

  it('writes through a symlinked kubeconfig instead of replacing the link', async () => {
    const real = join(dir, 'real-config');
    const link = join(dir, 'config');
    await writeFile(real, existing);
    await symlink(real, link);
    await mergeIntoUserKubeconfig({ userPath: link, entry, switchContext: 'always' });
    expect((await load(real))['current-context']).toBe('kubedesk');
    expect((await stat(link)).isFile()).toBe(true);
  });

  it('waits for a lock kubectl holds before writing', async () => {
    const path = join(dir, 'config');
    await writeFile(`${path}.lock`, '');
    const pending = mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' });
    setTimeout(() => void rm(`${path}.lock`), 250);
    await pending;
    expect((await load(path))['current-context']).toBe('kubedesk');
  });
});

describe('removeFromUserKubeconfig', () => {
  it('removes the kubedesk stanzas and its current context, keeping the rest', async () => {
    const path = join(dir, 'config');
    await writeFile(path, existing);
    await mergeIntoUserKubeconfig({ userPath: path, entry, switchContext: 'always' });
    await removeFromUserKubeconfig({ userPath: path });
    const config = await load(path);
    expect(config.clusters.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.users.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config).not.toHaveProperty('current-context');
    expect(named(config.contexts, 'prod')).toEqual(named(parse(existing)?.contexts, 'prod'));
  });

  it('does nothing when the file does not exist', async () => {
    await removeFromUserKubeconfig({ userPath: join(dir, 'nope', 'config') });
    await expect(stat(join(dir, 'nope'))).rejects.toThrow();
  });

  it('refuses an unparsable file', async () => {
    const path = join(dir, 'config');
    await mkdir(dir, { recursive: true });
    await writeFile(path, 'a: [');
    await expect(removeFromUserKubeconfig({ userPath: path })).rejects.toThrow('is not valid YAML');
    expect(await readFile(path, 'utf8')).toBe('a: [');
  });
});
