// Defaults and validation of the registry strategies, with Kubernetes' exact messages.

import type { V1Deployment, V1Job, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from './builtinResources';
import type { ResourceInfo } from './resourceCatalog';
import { strategyFor } from './strategies';
import { defaultPullPolicy } from './strategies/podSpecDefaults';
import type { KubeObject } from './strategy';
import { validateObjectMeta } from './validation/objectMetaValidation';

const info = (group: string, plural: string) =>
  builtinCatalog.lookup(
    group,
    group ? (group === 'autoscaling' ? 'v2' : 'v1') : 'v1',
    plural,
  ) as ResourceInfo;

function defaulted<T>(group: string, plural: string, obj: T): T {
  strategyFor(info(group, plural)).defaults?.(obj as KubeObject);
  return obj;
}

function validate(group: string, plural: string, obj: object): string[] {
  const strategy = strategyFor(info(group, plural));
  const meta = (obj as KubeObject).metadata ?? {};
  return [
    ...validateObjectMeta(meta, strategy.nameCheck, strategy.maxNameLength),
    ...(strategy.validate?.(obj as KubeObject) ?? []),
  ].map((e) => `${e.field}: ${e.message}`);
}

const podTemplate = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
});

describe('defaults', () => {
  it('picks the image pull policy from the tag', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.27')).toBe('IfNotPresent');
    expect(defaultPullPolicy('localhost:5000/app')).toBe('Always');
    expect(defaultPullPolicy('nginx@sha256:abc')).toBe('IfNotPresent');
  });

  it('fills pod and container defaults', () => {
    const pod = defaulted<V1Pod>('', 'pods', {
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    });
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
    expect(pod.spec?.containers[0]).toEqual({
      name: 'web',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    });
  });

  it('fills deployment defaults', () => {
    const d = defaulted<V1Deployment>('apps', 'deployments', {
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }) },
    });
    expect(d.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    });
    expect(d.spec?.template.spec?.restartPolicy).toBe('Always');
  });

  it('fills service defaults', () => {
    const svc = defaulted<V1Service>('', 'services', { spec: { ports: [{ port: 80 }] } });
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
  });

  it('fills job defaults and leaves the template restart policy to the user', () => {
    const job = defaulted<V1Job>('batch', 'jobs', { spec: { template: podTemplate({}) } });
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
    });
  });

  it('merges stringData into base64 data for secrets', () => {
    const secret = defaulted<KubeObject>('', 'secrets', { stringData: { password: 'hunter2' } });
    expect(secret).toEqual({ type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
  });
});

describe('validation', () => {
  it('names the rule an invalid name breaks', () => {
    expect(validate('', 'configmaps', { metadata: { name: 'Cfg' } })).toEqual([
      `metadata.name: Invalid value: "Cfg": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(validate('', 'namespaces', { metadata: { name: 'a.b' } })).toEqual([
      `metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    expect(validate('', 'services', { metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } })).toEqual(
      [
        `metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    );
    expect(validate('', 'configmaps', { metadata: {} })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(
      validate('batch', 'cronjobs', {
        metadata: { name: 'x'.repeat(53) },
        spec: { schedule: '* * * * *' },
      })[0],
    ).toBe(`metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`);
  });

  it('checks containers, ports and restart policy', () => {
    const errors = validate('', 'pods', {
      metadata: { name: 'p' },
      spec: {
        restartPolicy: 'Sometimes',
        containers: [
          { name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] },
          { name: 'web' },
          { image: 'x' },
        ],
      },
    });
    expect(errors).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[1].name: Duplicate value: "web"',
      'spec.containers[1].image: Required value',
      'spec.containers[2].name: Required value',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('checks lifecycle hooks: one handler each, a sleep within the grace period, none on plain init containers', () => {
    const errors = validate('', 'pods', {
      metadata: { name: 'p' },
      spec: {
        terminationGracePeriodSeconds: 5,
        initContainers: [
          { name: 'setup', image: 'x', lifecycle: { preStop: { sleep: { seconds: 1 } } } },
          {
            name: 'sidecar',
            image: 'x',
            restartPolicy: 'Always',
            lifecycle: { preStop: { sleep: { seconds: 1 } } },
          },
        ],
        containers: [
          {
            name: 'web',
            image: 'x',
            lifecycle: {
              postStart: { exec: { command: ['true'] }, httpGet: { port: 80 } },
              preStop: { sleep: { seconds: 6 } },
            },
          },
          { name: 'api', image: 'x', lifecycle: { postStart: {}, preStop: { exec: {} } } },
        ],
      },
    });
    expect(errors).toEqual([
      'spec.containers[0].lifecycle.postStart.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 6: must be non-negative and less than terminationGracePeriodSeconds (5)',
      'spec.containers[1].lifecycle.postStart: Required value: must specify a handler type',
      'spec.containers[1].lifecycle.preStop.exec.command: Required value',
      'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
    const pod = defaulted<V1Pod>('', 'pods', {
      spec: {
        containers: [{ name: 'web', image: 'x', lifecycle: { preStop: { httpGet: { port: 8080 } } } }],
      },
    });
    expect(pod.spec?.containers[0]?.lifecycle?.preStop?.httpGet).toEqual({
      port: 8080,
      path: '/',
      scheme: 'HTTP',
    });
  });

  it('requires workload selectors to match their template labels', () => {
    const errors = validate('apps', 'deployments', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'api' }) },
    });
    expect(errors).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ]);
    expect(
      validate('apps', 'deployments', { metadata: { name: 'web' }, spec: { template: podTemplate({}) } }),
    ).toEqual(['spec.selector: Required value']);
  });

  it('rejects Always as a job restart policy', () => {
    const job = defaulted<V1Job>('batch', 'jobs', {
      metadata: { name: 'j' },
      spec: { template: podTemplate({}) },
    });
    expect(validate('batch', 'jobs', job)).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it('makes workload selectors and service ports follow the rules on update', () => {
    const strategy = strategyFor(info('apps', 'deployments'));
    const old = { spec: { selector: { matchLabels: { app: 'a' } } } };
    const next = { spec: { selector: { matchLabels: { app: 'b' } } } };
    expect(strategy.validateUpdate?.(next, old)?.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable',
    ]);
    expect(
      validate('', 'services', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 81 }] } }),
    ).toEqual(['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
  });
});
