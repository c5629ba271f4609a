// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax, not JS templates.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComposeError } from './composeError';
import { type LoadOptions, loadComposeProject } from './loadComposeProject';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-compose-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function load(options: Partial<LoadOptions> = {}) {
  return loadComposeProject({
    files: ['compose.yaml'],
    interpolate: true,
    profiles: [],
    env: {},
    cwd: dir,
    ...options,
  });
}

function loadError(options: Partial<LoadOptions> = {}): ComposeError {
  try {
    load(options);
  } catch (err) {
    if (err instanceof ComposeError) return err;
    throw err;
  }
  throw new Error('expected a ComposeError');
}

describe('loadComposeProject', () => {
  it('merges later files over earlier ones', () => {
    write({
      'compose.yaml': `services:
  web:
    image: nginx
    command: ["a", "b"]
    environment: [A=1, B=2]
    ports: ["80:80"]
    deploy: { replicas: 3 }
`,
      'override.yaml': `services:
  web:
    command: c
    environment: { B: three }
    ports: ["443:443"]
    deploy: { replicas: 5 }
  db:
    image: postgres
`,
    });
    const project = load({ files: ['compose.yaml', 'override.yaml'] });
    const web = project.services.web;
    expect(web?.command).toEqual(['c']);
    expect(web?.environment).toEqual({ A: '1', B: 'three' });
    expect(web?.ports.map((p) => p.published)).toEqual(['80', '443']);
    expect(web?.deploy?.replicas).toBe(5);
    expect(Object.keys(project.services).sort()).toEqual(['db', 'web']);
  });

  it('interpolates from .env beside the first file, with the process environment winning', () => {
    write({
      'compose.yaml': 'services:\n  web:\n    image: "${IMAGE}:${TAG:-latest}"\n    ports: ["${PORT}:80"]\n',
      '.env': 'IMAGE=nginx\nPORT=8080\n',
    });
    expect(load().services.web?.image).toBe('nginx:latest');
    const project = load({ env: { TAG: '1.27', PORT: '9090' } });
    expect(project.services.web?.image).toBe('nginx:1.27');
    expect(project.services.web?.ports[0]).toEqual({ target: 80, published: '9090', protocol: 'tcp' });
  });

  it('warns about unset variables and keeps text as written with interpolation off', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG}"\n' });
    const project = load();
    expect(project.services.web?.image).toBe('nginx:');
    expect(project.warnings.map((w) => w.message)).toEqual([
      'The "TAG" variable is not set. Defaulting to a blank string.',
    ]);
    expect(load({ interpolate: false }).services.web?.image).toBe('nginx:${TAG}');
  });

  it('turns interpolated numbers back into numbers', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: ${N}\n' });
    expect(load({ env: { N: '4' } }).services.web?.deploy?.replicas).toBe(4);
  });

  it('applies extends from the same file and from another file', () => {
    write({
      'compose.yaml': `services:
  base:
    image: base
    environment: { A: "1" }
  web:
    extends: base
    environment: { B: "2" }
  api:
    extends: { file: common/common.yaml, service: common }
    ports: ["81:80"]
`,
      'common/common.yaml': 'services:\n  common:\n    image: common\n    ports: ["80:80"]\n',
    });
    const project = load();
    expect(project.services.web?.image).toBe('base');
    expect(project.services.web?.environment).toEqual({ A: '1', B: '2' });
    expect(project.services.api?.image).toBe('common');
    expect(project.services.api?.ports.map((p) => p.target)).toEqual([80, 80]);
  });

  it('imports the services of included files, relative to their own folder', () => {
    write({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx\n',
      'db/compose.yaml':
        'services:\n  db:\n    image: postgres\n    volumes: ["./init:/docker-entrypoint-initdb.d"]\nvolumes:\n  pgdata: {}\n',
    });
    const project = load();
    expect(Object.keys(project.services).sort()).toEqual(['db', 'web']);
    expect(project.services.db?.volumes[0]?.source).toBe(join(dir, 'db', 'init'));
    expect(Object.keys(project.volumes)).toEqual(['pgdata']);
    write({ 'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  db:\n    image: mysql\n' });
    expect(loadError().message).toMatch(
      /compose\.yaml:3: services\.db: service "db" is defined here and by include/,
    );
  });

  it('reports circular extends with the service key', () => {
    write({
      'compose.yaml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n',
    });
    expect(loadError().message).toMatch(/services\.(a|b)\.extends: circular extends/);
  });

  it('keeps services of active profiles only, from --profile or COMPOSE_PROFILES', () => {
    write({
      'compose.yaml':
        'services:\n  web:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n',
    });
    expect(Object.keys(load().services)).toEqual(['web']);
    expect(Object.keys(load({ profiles: ['debug'] }).services).sort()).toEqual(['debug', 'web']);
    expect(Object.keys(load({ env: { COMPOSE_PROFILES: 'debug' } }).services).sort()).toEqual([
      'debug',
      'web',
    ]);
  });

  it('expands short and long syntax for ports, volumes, configs and secrets', () => {
    write({
      'compose.yaml': `services:
  web:
    image: nginx
    ports:
      - "127.0.0.1:8000-8001:80-81/udp"
      - target: 443
        published: 8443
        mode: host
    volumes:
      - data:/var/lib/data:ro
      - ./site:/usr/share/nginx/html
      - /cache
      - type: tmpfs
        target: /tmp
    configs: [app]
    secrets:
      - source: token
        target: /etc/token
        mode: 0400
configs:
  app: { file: ./app.conf }
secrets:
  token: { file: ./token.txt }
volumes:
  data:
`,
    });
    const project = load();
    const web = project.services.web;
    expect(web?.ports).toEqual([
      { target: 80, published: '8000', host_ip: '127.0.0.1', protocol: 'udp' },
      { target: 81, published: '8001', host_ip: '127.0.0.1', protocol: 'udp' },
      { target: 443, published: '8443', protocol: 'tcp', mode: 'host' },
    ]);
    expect(web?.volumes).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/data', read_only: true, mode: 'ro' },
      { type: 'bind', source: join(dir, 'site'), target: '/usr/share/nginx/html', read_only: false },
      { type: 'volume', target: '/cache', read_only: false },
      { type: 'tmpfs', target: '/tmp', read_only: false },
    ]);
    expect(web?.configs).toEqual([{ source: 'app' }]);
    expect(web?.secrets).toEqual([{ source: 'token', target: '/etc/token', mode: 0o400 }]);
    expect(project.configs.app?.file).toBe(join(dir, 'app.conf'));
    expect(project.volumes.data?.name).toBe(`${project.name}_data`);
  });

  it('names the project after its folder and adds the default network', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n' });
    const project = load();
    expect(project.name).toMatch(/^kubedesk-compose-/);
    expect(project.networks.default?.name).toBe(`${project.name}_default`);
  });

  it('fails on a missing required env_file', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    env_file: missing.env\n' });
    expect(loadError().message).toMatch(/services\.web\.env_file: env file .*missing\.env not found/);
  });

  it('reports bad YAML with file and line', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n   ports: [80\n' });
    const error = loadError();
    expect(error.file).toBe(join(dir, 'compose.yaml'));
    expect(error.line).toBeGreaterThanOrEqual(4);
  });

  it('reports an unknown top-level key with its line and key path', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: nginx\nservice:\n  db: {}\n' });
    const error = loadError();
    expect(error.message).toBe(
      `${join(dir, 'compose.yaml')}:4: service: additional property "service" is not allowed`,
    );
    expect(error.keyPath).toBe('service');
  });

  it('reports a wrong type with the key path of the value', () => {
    write({
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports:\n      - 80\n    privileged: "yes"\n',
    });
    const error = loadError();
    expect(error.line).toBe(6);
    expect(error.keyPath).toBe('services.web.privileged');
    expect(error.message).toMatch(/must be a boolean$/);
  });

  it('reports a missing required variable where it is used', () => {
    write({
      'compose.yaml':
        'services:\n  web:\n    image: nginx\n    environment:\n      - TOKEN=${TOKEN:?set TOKEN}\n',
    });
    const error = loadError();
    expect(error.message).toBe(
      `${join(dir, 'compose.yaml')}:5: services.web.environment[0]: required variable TOKEN is missing a value: set TOKEN`,
    );
  });

  it('reports a port it cannot read with its position', () => {
    write({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["1:2:3:4"]\n' });
    expect(loadError().message).toMatch(
      /compose\.yaml:4: services\.web\.ports\[0\]: invalid port "1:2:3:4"$/,
    );
  });
});
