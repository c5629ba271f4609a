import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeConvertSchema } from './composeContract';
import { convertComposeSource, projectDirName, uploadNotice } from './composeConversion';

const tempRoot = mkdtempSync(join(tmpdir(), 'kubedesk-compose-host-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

const shop = `
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    env_file: web.env
    ulimits:
      nofile: 1024
  cache:
    image: redis:7
`;

const upload = (files: { name: string; content: string }[], options: Record<string, unknown> = {}) =>
  composeConvertSchema.parse({ source: { kind: 'upload', files }, options });

describe('converting an uploaded compose project', () => {
  it('groups objects by service with their YAML, and puts each warning beside its service', () => {
    const { view } = convertComposeSource(
      upload([
        { name: 'shop.compose.yaml', content: shop },
        { name: 'web.env', content: 'GREETING=hello\n' },
      ]),
      { tempRoot, env: {} },
    );
    expect(view.error).toBeUndefined();
    expect(view.project).toBe('shop');
    expect(view.services.map((s) => s.service)).toEqual(['cache', 'web']);
    const web = view.services.find((s) => s.service === 'web');
    expect(web?.objects.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'Service/web',
      'Deployment/web',
      'ConfigMap/web-env',
    ]);
    // The env file written beside the upload resolved into a ConfigMap.
    expect(web?.objects.find((o) => o.kind === 'ConfigMap')?.yaml).toContain('GREETING: hello');
    expect(web?.warnings.map((w) => w.key)).toContain('services.web.ulimits');
    const cache = view.services.find((s) => s.service === 'cache');
    expect(cache?.warnings.map((w) => w.message)).toContain(
      `Service "cache" won't be created because 'ports' is not specified`,
    );
    expect(view.notices).toEqual([uploadNotice]);
    // Nothing is left behind in the temporary folder.
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('puts the chosen namespace into every object and reconverts with another controller', () => {
    const { view } = convertComposeSource(
      upload([{ name: 'compose.yaml', content: shop.replace('env_file: web.env', '') }], {
        namespace: 'shop-test',
        controller: 'statefulset',
      }),
      { tempRoot, env: {} },
    );
    expect(view.namespace).toBe('shop-test');
    const objects = view.services.flatMap((s) => s.objects);
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.namespace === 'shop-test')).toBe(
      true,
    );
    expect(objects.find((o) => o.kind === 'Namespace')?.name).toBe('shop-test');
    expect(
      objects
        .filter((o) => o.kind === 'StatefulSet')
        .map((o) => o.name)
        .sort(),
    ).toEqual(['cache', 'web']);
    expect(objects.find((o) => o.name === 'web' && o.kind === 'StatefulSet')?.yaml).toContain(
      'namespace: shop-test',
    );
  });

  it('reports invalid compose as an error with the uploaded file name, line and key path', () => {
    const { view, objects } = convertComposeSource(
      upload([{ name: 'compose.yaml', content: 'services:\n  web:\n    image: nginx\n    ports: 80\n' }]),
      { tempRoot, env: {} },
    );
    expect(objects).toEqual([]);
    expect(view.services).toEqual([]);
    expect(view.error?.file).toBe('compose.yaml');
    expect(view.error?.keyPath).toBe('services.web.ports');
    expect(view.error?.line).toBe(4);
    expect(view.error?.message).toMatch(/^compose\.yaml:4: services\.web\.ports: /);
    expect(view.error?.message).not.toContain(tempRoot);
  });

  it('refuses uploaded names with folders in them', () => {
    const { view } = convertComposeSource(upload([{ name: '../compose.yaml', content: shop }]), {
      tempRoot,
      env: {},
    });
    expect(view.error?.message).toContain('a bare file name is expected');
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('maps the volume mode onto the converter', () => {
    const withVolume =
      'services:\n  db:\n    image: postgres:16\n    volumes: ["data:/var/lib/postgresql/data"]\nvolumes:\n  data: {}\n';
    const kinds = (volumes: string) =>
      convertComposeSource(upload([{ name: 'compose.yaml', content: withVolume }], { volumes }), {
        tempRoot,
        env: {},
      })
        .view.services.flatMap((s) => s.objects.map((o) => o.kind))
        .sort();
    expect(kinds('pvc')).toEqual(['Deployment', 'PersistentVolumeClaim']);
    expect(kinds('emptyDir')).toEqual(['Deployment']);
  });
});

describe('converting compose files on this computer', () => {
  it('keeps build sections as images to build with the host engine', () => {
    const dir = mkdtempSync(join(tempRoot, 'project-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      'name: app\nservices:\n  api:\n    build: ./api\n    ports: ["3000:3000"]\n',
    );
    const result = convertComposeSource(
      composeConvertSchema.parse({ source: { kind: 'paths', files: [join(dir, 'compose.yaml')] } }),
      { env: {} },
    );
    expect(result.view.project).toBe('app');
    expect(result.builds).toEqual([
      { service: 'api', image: 'api', tag: 'app-api', context: join(dir, 'api'), dockerfile: 'Dockerfile' },
    ]);
    expect(result.view.builds).toEqual(['api']);
    expect(result.view.notices.join(' ')).toContain(
      "Deploy builds app-api with this computer's Docker engine; the nodes get the built images from there.",
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('projectDirName', () => {
  it('derives a project name from the compose file name', () => {
    expect(projectDirName('docker-compose.yml')).toBe('compose');
    expect(projectDirName('compose.yaml')).toBe('compose');
    expect(projectDirName('shop.compose.yaml')).toBe('shop');
    expect(projectDirName('My Shop-compose.yml')).toBe('my-shop');
  });
});
