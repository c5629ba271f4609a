// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax, not JS templates.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  KubernetesObject,
  V1ConfigMap,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1PersistentVolumeClaim,
  V1Secret,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComposeError } from '../composeError';
import { loadComposeProject } from '../loadComposeProject';
import { convertCompose } from './convertCompose';
import type { ConvertOptions } from './convertOptions';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubedesk-convert-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function convert(
  compose: string,
  options: Partial<ConvertOptions> = {},
  files: Record<string, string | Buffer> = {},
) {
  writeFileSync(join(dir, 'compose.yaml'), compose);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const project = loadComposeProject({
    files: ['compose.yaml'],
    interpolate: true,
    profiles: [],
    env: {},
    cwd: dir,
  });
  return convertCompose(project, { withKomposeAnnotation: false, ...options });
}

function find<T extends KubernetesObject>(objects: KubernetesObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found)
    throw new Error(
      `no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`,
    );
  return found as T;
}

const podSpec = (d: V1Deployment | V1DaemonSet | V1StatefulSet) => d.spec?.template.spec;

describe('convertCompose', () => {
  it('makes a Deployment and a Service per service with ports, Services first', () => {
    const { objects } = convert(
      'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n  worker:\n    image: busybox\n',
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'Service/web',
      'Deployment/web',
      'Deployment/worker',
    ]);
    const service = find<V1Service>(objects, 'Service', 'web');
    expect(service.spec?.ports).toEqual([{ name: '8080', port: 8080, targetPort: 80 }]);
    expect(service.spec?.selector).toEqual({ 'io.kompose.service': 'web' });
  });

  it('chooses DaemonSet for global mode, StatefulSet by label, Pod for restart: no and CronJob by schedule', () => {
    const { objects } = convert(`services:
  agent: { image: a, deploy: { mode: global } }
  db: { image: d, labels: { kompose.controller.type: statefulset }, volumes: ["data:/data"] }
  once: { image: o, restart: "no" }
  nightly: { image: n, restart: "no", labels: { kompose.cronjob.schedule: "0 2 * * *" } }
volumes:
  data:
`);
    expect(find<V1DaemonSet>(objects, 'DaemonSet', 'agent').spec?.selector.matchLabels).toEqual({
      'io.kompose.service': 'agent',
    });
    const db = find<V1StatefulSet>(objects, 'StatefulSet', 'db');
    expect(db.spec?.serviceName).toBe('db');
    expect(find(objects, 'Pod', 'once').kind).toBe('Pod');
    expect(find<V1CronJob>(objects, 'CronJob', 'nightly').spec?.schedule).toBe('0 2 * * *');
  });

  it('carries resources, replicas, health checks and security settings over', () => {
    const { objects } = convert(`services:
  api:
    image: api
    user: "1000:2000"
    cap_add: [NET_ADMIN]
    read_only: true
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 1m30s
      timeout: 5s
      retries: 3
      start_period: 10s
    deploy:
      replicas: 2
      resources:
        limits: { cpus: "0.5", memory: 256M }
        reservations: { cpus: "0.25", memory: 128M }
`);
    const deployment = find<V1Deployment>(objects, 'Deployment', 'api');
    expect(deployment.spec?.replicas).toBe(2);
    const [container] = podSpec(deployment)?.containers ?? [];
    expect(container?.resources).toEqual({
      limits: { cpu: '500m', memory: '268435456' },
      requests: { cpu: '250m', memory: '134217728' },
    });
    expect(container?.livenessProbe).toEqual({
      exec: { command: ['curl', '-f', 'http://localhost'] },
      periodSeconds: 90,
      timeoutSeconds: 5,
      failureThreshold: 3,
      initialDelaySeconds: 10,
    });
    expect(container?.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 2000,
      capabilities: { add: ['NET_ADMIN'] },
      readOnlyRootFilesystem: true,
    });
  });

  it('carries over keys kompose drops: extra_hosts, cpus and mem_reservation', () => {
    const { objects, warnings } = convert(`services:
  web:
    image: nginx
    extra_hosts: ["db.local:10.0.0.5", "cache.local:10.0.0.5", "api.local:10.0.0.6"]
    cpus: 1.5
    mem_limit: 1g
    mem_reservation: 512m
`);
    const spec = podSpec(find<V1Deployment>(objects, 'Deployment', 'web'));
    expect(spec?.hostAliases).toEqual([
      { ip: '10.0.0.5', hostnames: ['db.local', 'cache.local'] },
      { ip: '10.0.0.6', hostnames: ['api.local'] },
    ]);
    expect(spec?.containers[0]?.resources).toEqual({
      limits: { cpu: '1500m', memory: '1073741824' },
      requests: { memory: '536870912' },
    });
    expect(warnings).toEqual([
      expect.objectContaining({ message: `Service "web" won't be created because 'ports' is not specified` }),
    ]);
  });

  it('turns env files, configs and secrets into ConfigMaps and Secrets', () => {
    const { objects } = convert(
      `services:
  web:
    image: nginx
    env_file: config/app.env
    environment: { MODE: prod, SHARED: from-compose }
    configs: [{ source: site_conf, target: /etc/nginx/conf.d/site.conf }]
    secrets: [db_password]
configs:
  site_conf: { file: ./site.conf }
secrets:
  db_password: { file: ./password.txt }
`,
      {},
      {
        'config/app.env': 'SHARED=from-file\nLEVEL=${MODE}\n',
        'site.conf': 'server {}\n',
        'password.txt': 'hunter2',
      },
    );
    const envMap = find<V1ConfigMap>(objects, 'ConfigMap', 'config-app-env');
    expect(envMap.data).toEqual({ SHARED: 'from-file', LEVEL: 'prod' });
    const container = podSpec(find<V1Deployment>(objects, 'Deployment', 'web'))?.containers[0];
    expect(container?.env).toEqual([{ name: 'MODE', value: 'prod' }]);
    expect(container?.envFrom).toEqual([{ configMapRef: { name: 'config-app-env' } }]);
    expect(find<V1ConfigMap>(objects, 'ConfigMap', 'site-conf').data).toEqual({ 'site.conf': 'server {}\n' });
    expect(container?.volumeMounts).toContainEqual({
      name: 'site-conf',
      mountPath: '/etc/nginx/conf.d/site.conf',
      subPath: 'site.conf',
    });
    const secret = find<V1Secret>(objects, 'Secret', 'db-password');
    expect(secret.data).toEqual({ 'db-password': Buffer.from('hunter2').toString('base64') });
  });

  it('makes claims for named volumes, ConfigMaps for existing bind sources and emptyDir for tmpfs', () => {
    const { objects, warnings } = convert(
      `services:
  web:
    image: nginx
    volumes:
      - data:/data
      - ./html:/usr/share/nginx/html:ro
      - ./logo.png:/logo.png
      - ./missing:/missing
    tmpfs: /run
volumes:
  data:
    labels: { kompose.volume.size: 1Gi }
`,
      {},
      { 'html/index.html': '<h1>hi</h1>\n', 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) },
    );
    expect(
      find<V1PersistentVolumeClaim>(objects, 'PersistentVolumeClaim', 'data').spec?.resources?.requests,
    ).toEqual({
      storage: '1Gi',
    });
    expect(find<V1ConfigMap>(objects, 'ConfigMap', 'web-cm1').data).toEqual({
      'index.html': '<h1>hi</h1>\n',
    });
    expect(find<V1ConfigMap>(objects, 'ConfigMap', 'web-cm2').binaryData?.['logo.png']).toBeDefined();
    find(objects, 'PersistentVolumeClaim', 'web-claim3');
    const spec = podSpec(find<V1Deployment>(objects, 'Deployment', 'web'));
    expect(spec?.volumes).toContainEqual({ name: 'web-tmpfs0', emptyDir: { medium: 'Memory' } });
    expect(find<V1Deployment>(objects, 'Deployment', 'web').spec?.strategy).toEqual({ type: 'Recreate' });
    expect(warnings.some((w) => w.kompose && w.message.includes(join(dir, 'missing')))).toBe(true);
  });

  it('can mount bind sources as hostPath volumes instead', () => {
    const { objects } = convert(
      'services:\n  web:\n    image: nginx\n    volumes: ["./site:/site", "data:/data"]\n',
      {
        hostPathBindMounts: true,
      },
    );
    const spec = podSpec(find<V1Deployment>(objects, 'Deployment', 'web'));
    expect(spec?.volumes).toEqual([
      { name: 'web-hostpath0', hostPath: { path: join(dir, 'site') } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
    ]);
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata?.name)).toEqual([
      'data',
    ]);
  });

  it('waits for healthy dependencies with an init container and makes their health check a readiness probe', () => {
    const { objects } = convert(`services:
  db:
    image: postgres
    ports: ["5432"]
    healthcheck: { test: pg_isready, interval: 5s }
  web:
    image: app
    depends_on:
      db: { condition: service_healthy }
`);
    const web = podSpec(find<V1Deployment>(objects, 'Deployment', 'web'));
    expect(web?.initContainers).toEqual([
      {
        name: 'wait-for-db',
        image: 'busybox:1.36',
        command: ['sh', '-c', 'until nc -z db 5432; do echo waiting for db; sleep 2; done'],
      },
    ]);
    const db = podSpec(find<V1Deployment>(objects, 'Deployment', 'db'))?.containers[0];
    expect(db?.readinessProbe).toEqual(db?.livenessProbe);
    const plain = convert(
      'services:\n  db: { image: p, ports: ["5432"], healthcheck: { test: x } }\n  web: { image: a, depends_on: { db: { condition: service_healthy } } }\n',
      { waitForHealthyDependencies: false },
    );
    expect(podSpec(find<V1Deployment>(plain.objects, 'Deployment', 'web'))?.initContainers).toBeUndefined();
  });

  it('can give services without ports a headless Service', () => {
    const { objects, warnings } = convert('services:\n  worker:\n    image: busybox\n', {
      servicesWithoutPorts: true,
    });
    expect(find<V1Service>(objects, 'Service', 'worker').spec).toEqual({
      clusterIP: 'None',
      selector: { 'io.kompose.service': 'worker' },
    });
    expect(warnings.filter((w) => w.kompose)).toEqual([]);
  });

  it('names every dropped compose key in a warning kompose would not print', () => {
    const { warnings } = convert(
      'services:\n  web:\n    image: nginx\n    ulimits: { nofile: 1024 }\n    dns: 8.8.8.8\n',
    );
    expect(warnings.filter((w) => !w.kompose)).toEqual([
      {
        service: 'web',
        key: 'services.web.ulimits',
        message: 'services.web.ulimits is not carried over to Kubernetes',
        kompose: false,
      },
      {
        service: 'web',
        key: 'services.web.dns',
        message: 'services.web.dns is not carried over to Kubernetes',
        kompose: false,
      },
    ]);
  });

  it('exposes services through Ingress, NodePort and LoadBalancer labels', () => {
    const { objects } = convert(`services:
  web:
    image: nginx
    ports: ["80"]
    labels: { kompose.service.expose: "example.com/app", kompose.service.type: nodeport, kompose.service.nodeport.port: "30080" }
  dns:
    image: coredns
    ports: ["53:53/udp", "53:53/tcp"]
    labels: { kompose.service.type: LoadBalancer }
`);
    const web = find<V1Service>(objects, 'Service', 'web');
    expect(web.spec?.type).toBe('NodePort');
    expect(web.spec?.ports?.[0]?.nodePort).toBe(30080);
    expect(find(objects, 'Ingress', 'web')).toMatchObject({
      spec: { rules: [{ host: 'example.com', http: { paths: [{ path: '/app', pathType: 'Prefix' }] } }] },
    });
    expect(find<V1Service>(objects, 'Service', 'dns-udp').spec?.ports).toEqual([
      { name: '53', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    expect(find<V1Service>(objects, 'Service', 'dns-tcp').spec?.type).toBe('LoadBalancer');
  });

  it('puts every object in the namespace given and adds the Namespace', () => {
    const { objects } = convert('services:\n  web:\n    image: nginx\n    ports: ["80"]\n', {
      namespace: 'shop',
    });
    expect(objects.map((o) => o.metadata?.namespace)).toEqual(['shop', 'shop', 'shop']);
    expect(find(objects, 'Namespace', 'shop').metadata).toEqual({ name: 'shop', namespace: 'shop' });
  });

  it('adds kompose.cmd and kompose.version annotations unless told not to', () => {
    const { objects } = convert('services:\n  web:\n    image: nginx\n', {
      withKomposeAnnotation: true,
      command: 'kubedesk convert -f compose.yaml',
      version: 'kubedesk 1.0.0',
    });
    expect(find(objects, 'Deployment', 'web').metadata?.annotations).toEqual({
      'kompose.cmd': 'kubedesk convert -f compose.yaml',
      'kompose.version': 'kubedesk 1.0.0',
    });
  });

  it('rejects label values it cannot use, naming the service', () => {
    expect(() =>
      convert('services:\n  web:\n    image: nginx\n    labels: { kompose.service.type: public }\n'),
    ).toThrow(ComposeError);
    expect(() =>
      convert(
        'services:\n  web:\n    image: nginx\n    labels: { kompose.volume.type: nfs }\n    volumes: ["d:/d"]\n',
      ),
    ).toThrow(/services\.web\.labels: invalid volume type nfs/);
  });
});
