import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PatchError } from './patchError';
import { applyStrategicMergePatch } from './strategicMergePatch';

const deploymentGvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
const podGvk = { group: '', version: 'v1', kind: 'Pod' };

function deployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1',
              args: ['--a', '--b'],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
          volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
          tolerations: [{ key: 'x', operator: 'Exists' }],
        },
      },
    },
  };
}

describe('applyStrategicMergePatch', () => {
  it('sets an image by container name (kubectl set image)', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['web', 'nginx:2'],
      ['sidecar', 'busybox'],
    ]);
    expect(out.spec.template.spec.containers[0]?.env).toHaveLength(2);
  });

  it('adds the restartedAt annotation without touching other fields (kubectl rollout restart)', () => {
    const at = '2026-11-23T14:00:00Z';
    const patch = {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.spec.template.metadata).toEqual({
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': at },
    });
    expect(out.spec.template.spec).toEqual(deployment().spec.template.spec);
  });

  it('removes an env var via $setElementOrder and $patch: delete (kubectl apply after editing the file)', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
            containers: [
              {
                name: 'web',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
                env: [
                  { name: 'C', value: '3' },
                  { $patch: 'delete', name: 'B' },
                ],
              },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.spec.template.spec.containers[0]?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'C', value: '3' },
    ]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('puts patched items in patch order before server-only ones when no order is given', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                env: [
                  { name: 'A', $patch: 'delete' },
                  { name: 'Z', value: 'z' },
                ],
              },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.spec.template.spec.containers[0]?.env).toEqual([
      { name: 'Z', value: 'z' },
      { name: 'B', value: '2' },
    ]);
  });

  it('orders by $setElementOrder and keeps server-only items in place', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'new' }],
            containers: [{ name: 'new', image: 'redis' }],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['web', 'sidecar', 'new']);
  });

  it('merges ports by containerPort and replaces atomic lists', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                args: ['--c'],
                ports: [{ containerPort: 443 }, { containerPort: 80, name: 'http' }],
              },
            ],
            tolerations: [{ key: 'y', operator: 'Exists' }],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    const web = out.spec.template.spec.containers[0];
    // Without $setElementOrder the patch's order wins, as kubectl's own strategicpatch does.
    expect(web?.ports).toEqual([
      { containerPort: 443 },
      { containerPort: 80, protocol: 'TCP', name: 'http' },
    ]);
    expect(web?.args).toEqual(['--c']);
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
  });

  it('deletes keys set to null and honours $retainKeys when switching the strategy', () => {
    const patch = {
      metadata: { labels: { tier: null } },
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('switches a volume source with $retainKeys inside a merged list item', () => {
    const patch = {
      spec: {
        template: {
          spec: { volumes: [{ name: 'cfg', $retainKeys: ['name', 'secret'], secret: { secretName: 's' } }] },
        },
      },
    };
    const out = applyStrategicMergePatch(deployment(), patch, deploymentGvk);
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'cfg', secret: { secretName: 's' } }]);
  });

  it('merges primitive lists with merge strategy and deletes from them with $deleteFromPrimitiveList', () => {
    const added = applyStrategicMergePatch(
      deployment(),
      { metadata: { finalizers: ['b', 'c'] } },
      deploymentGvk,
    );
    expect(added.metadata.finalizers).toEqual(['a', 'b', 'c']);
    const removed = applyStrategicMergePatch(
      deployment(),
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      deploymentGvk,
    );
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('replaces a map or a whole list with $patch: replace, and empties a map with $patch: delete', () => {
    const replaced = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { metadata: { $patch: 'replace', labels: { app: 'v2' } } } } },
      deploymentGvk,
    );
    expect(replaced.spec.template.metadata).toEqual({ labels: { app: 'v2' } });
    const list = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } },
      deploymentGvk,
    );
    expect(list.spec.template.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    const emptied = applyStrategicMergePatch(
      deployment(),
      { metadata: { labels: { $patch: 'delete' } } },
      deploymentGvk,
    );
    expect(emptied.metadata.labels).toEqual({});
  });

  it('works on core kinds too and never mutates its inputs', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x' }] } };
    const patch = { spec: { containers: [{ name: 'b', image: 'y' }] } };
    const out = applyStrategicMergePatch(pod, patch, podGvk);
    expect(out.spec.containers.map((c) => c.name)).toEqual(['b', 'a']);
    expect(pod.spec.containers).toHaveLength(1);
    expect(patch.spec.containers).toHaveLength(1);
  });

  it('treats kinds without a schema as a JSON merge patch', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { items: [{ name: 'a', v: 1 }], keep: true },
    };
    const out = applyStrategicMergePatch(
      widget,
      { spec: { items: [{ name: 'b' }] } },
      { group: 'example.com', version: 'v1', kind: 'Widget' },
    );
    expect(out.spec).toEqual({ items: [{ name: 'b' }], keep: true });
  });

  it('rejects malformed patches with PatchError', () => {
    expect(() => applyStrategicMergePatch(deployment(), [], deploymentGvk)).toThrow(PatchError);
    expect(() =>
      applyStrategicMergePatch(
        deployment(),
        { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
        deploymentGvk,
      ),
    ).toThrow(/does not contain declared merge key: name/);
    expect(() =>
      applyStrategicMergePatch(deployment(), { metadata: { $patch: 'explode' } }, deploymentGvk),
    ).toThrow(/unknown patch type/);
  });
});

// Results recorded from real kubectl (`kubectl patch --local`, scripts/record-smp-fixtures.ts).
describe('applyStrategicMergePatch agrees with kubectl', () => {
  const fixture = JSON.parse(
    readFileSync(new URL('./testdata/smpKubectlCases.json', import.meta.url), 'utf8'),
  ) as {
    originals: Record<string, { apiVersion: string; kind: string }>;
    cases: Array<{ original: string; patch: object; want: object }>;
  };
  it.each(fixture.cases.map((c, i) => ({ ...c, name: `${i} ${JSON.stringify(c.patch)}` })))('$name', (c) => {
    const original = fixture.originals[c.original];
    if (!original) throw new Error(`no original ${c.original}`);
    const [group, version] = original.apiVersion.includes('/')
      ? original.apiVersion.split('/')
      : ['', original.apiVersion];
    const gvk = { group: group ?? '', version: version ?? '', kind: original.kind };
    expect(applyStrategicMergePatch(original, c.patch, gvk)).toEqual(c.want);
  });
});

describe('applyStrategicMergePatch with a patch recorded from kubectl apply', () => {
  it('applies the three-way patch kubectl 1.35 computed from our OpenAPI documents', () => {
    const live = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        template: {
          metadata: {
            labels: { app: 'web' },
            annotations: { 'kubectl.kubernetes.io/restartedAt': 'yesterday' },
          },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1',
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                  { name: 'C', value: '3' },
                ],
                ports: [{ containerPort: 80 }, { containerPort: 443 }],
                terminationMessagePath: '/dev/termination-log',
              },
              { name: 'side', image: 'busybox', args: ['sleep', '1000'] },
              { name: 'injected', image: 'proxy' },
            ],
            volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
          },
        },
      },
    };
    // Sent by `kubectl apply` (client-side) after editing the manifest; annotation value shortened.
    const patch = {
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
        labels: { tier: null },
      },
      spec: {
        replicas: 3,
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }],
            '$setElementOrder/volumes': [{ name: 'cfg' }],
            containers: [
              { args: ['sleep', '2000'], name: 'side' },
              {
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                '$setElementOrder/ports': [{ containerPort: 8080 }],
                env: [
                  { name: 'A', value: '10' },
                  { $patch: 'delete', name: 'B' },
                ],
                image: 'nginx:2',
                name: 'web',
                ports: [
                  { containerPort: 8080 },
                  { $patch: 'delete', containerPort: 443 },
                  { $patch: 'delete', containerPort: 80 },
                ],
              },
            ],
            volumes: [
              { $retainKeys: ['name', 'secret'], configMap: null, name: 'cfg', secret: { secretName: 's' } },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(live, patch, deploymentGvk);
    expect(out.metadata).toEqual({
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
    });
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.template.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/restartedAt': 'yesterday',
    });
    expect(out.spec.template.spec).toEqual({
      containers: [
        { name: 'side', image: 'busybox', args: ['sleep', '2000'] },
        {
          name: 'web',
          image: 'nginx:2',
          env: [
            { name: 'C', value: '3' },
            { name: 'A', value: '10' },
          ],
          ports: [{ containerPort: 8080 }],
          terminationMessagePath: '/dev/termination-log',
        },
        { name: 'injected', image: 'proxy' },
      ],
      volumes: [{ name: 'cfg', secret: { secretName: 's' } }],
    });
  });
});
