// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax, not JS templates.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { registerConvertCommand } from '../commands/convert';

// `kubedesk convert` driven in-process through commander, as cli.ts will run it.

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-cli-'));
  writeFileSync(
    join(dir, 'compose.yaml'),
    'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    ulimits: { nofile: 1024 }\n  worker:\n    image: busybox\n',
  );
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const program = new Command('kubedesk').exitOverride().configureOutput({ writeErr: (t) => (stderr += t) });
  registerConvertCommand(program, () => ({
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {},
    cwd: dir,
  }));
  await program.parseAsync(['convert', ...args], { from: 'user' });
  return { stdout, stderr };
}

const kinds = (yaml: string) =>
  parseAllDocuments(yaml).map((d) => `${d.get('kind')}/${d.getIn(['metadata', 'name'])}`);

describe('kubedesk convert', () => {
  it('prints a YAML stream with --stdout and kompose-style warnings on stderr', async () => {
    const { stdout, stderr } = await run('-f', 'compose.yaml', '--stdout');
    expect(kinds(stdout)).toEqual(['Service/web', 'Deployment/web', 'Deployment/worker']);
    expect(stdout.startsWith('---\napiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n')).toBe(true);
    expect(stderr).toBe(`WARN Service "worker" won't be created because 'ports' is not specified\n`);
  });

  it('reports dropped keys only with --verbose, and nothing with --suppress-warnings', async () => {
    expect((await run('--stdout', '--verbose')).stderr).toContain(
      'WARN services.web.ulimits is not carried over to Kubernetes',
    );
    expect((await run('--stdout', '--suppress-warnings')).stderr).toBe('');
    await expect(run('--stdout', '--error-on-warning')).rejects.toThrow(/1 warning\(s\)/);
  });

  it('writes one file with -o FILE and one file per object with -o FOLDER/', async () => {
    await run('-o', 'out/all.yaml', '--with-kompose-annotation=false');
    expect(kinds(readFileSync(join(dir, 'out/all.yaml'), 'utf8'))).toHaveLength(3);
    await run('-o', 'manifests/', '--with-kompose-annotation=false');
    expect(readdirSync(join(dir, 'manifests')).sort()).toEqual([
      'web-deployment.yaml',
      'web-service.yaml',
      'worker-deployment.yaml',
    ]);
    await run('-j', '-o', 'json/');
    expect(JSON.parse(readFileSync(join(dir, 'json/web-service.json'), 'utf8')).kind).toBe('Service');
    await expect(run('-j', '--stdout')).rejects.toThrow(/json/);
  });

  it('accepts kompose flags: several -f files, --replicas, --controller, -n', async () => {
    writeFileSync(join(dir, 'more.yaml'), 'services:\n  web:\n    deploy: { replicas: 4 }\n');
    const merged = await run('-f', 'compose.yaml,more.yaml', '--stdout', '-n', 'demo');
    const web = parseAllDocuments(merged.stdout).find(
      (d) => d.get('kind') === 'Deployment' && d.getIn(['metadata', 'name']) === 'web',
    );
    expect(web?.getIn(['spec', 'replicas'])).toBe(4);
    expect(web?.getIn(['metadata', 'namespace'])).toBe('demo');
    const forced = await run(
      '-f',
      'compose.yaml',
      '-f',
      'more.yaml',
      '--stdout',
      '--replicas',
      '2',
      '--controller',
      'statefulset',
    );
    const set = parseAllDocuments(forced.stdout).find((d) => d.get('kind') === 'StatefulSet');
    expect(set?.getIn(['spec', 'replicas'])).toBe(2);
  });

  it('fails with one line naming file, line and key for an invalid compose file', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    image: nginx\n    restart: 5\n');
    await expect(run('-f', 'bad.yaml', '--stdout')).rejects.toThrow(
      `${join(dir, 'bad.yaml')}:4: services.web.restart: must be a string`,
    );
    writeFileSync(join(dir, 'var.yaml'), 'services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n');
    await expect(run('-f', 'var.yaml', '--stdout')).rejects.toThrow(
      /var\.yaml:3: services\.web\.image: required variable IMAGE/,
    );
  });

  it('rejects flag values it does not support', async () => {
    await expect(run('--stdout', '--volumes', 'nfs')).rejects.toThrow(/unknown volume type nfs/);
    await expect(run('--stdout', '--provider', 'openshift')).rejects.toThrow(/only kubernetes/);
    expect(existsSync(join(dir, 'web-service.yaml'))).toBe(false);
  });
});
