import { describe, expect, it } from 'vitest';
import { diffManifests } from './manifestDiff';

const service = (ports: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { ports, ...extra },
});

describe('diffManifests', () => {
  it('ignores object order and list order', () => {
    const a = service([{ port: 80 }, { port: 443 }]);
    const b = service([{ port: 443 }, { port: 80 }]);
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    expect(diffManifests([a, other], [other, b])).toEqual([]);
  });

  it('reports missing and unexpected objects by apiVersion/kind/namespace/name', () => {
    const a = service([]);
    const b = { ...service([]), metadata: { name: 'web', namespace: 'shop' } };
    expect(diffManifests([a], [b])).toEqual([
      'missing object v1/Service//web',
      'unexpected object v1/Service/shop/web',
    ]);
  });

  it('reports changed values, extra keys and missing keys', () => {
    const expected = service([{ port: 80 }], { type: 'NodePort' });
    const actual = service([{ port: 81 }], { clusterIP: 'None' });
    expect(diffManifests([expected], [actual])).toEqual([
      'v1/Service//web.spec.ports: expected [{"port":80}], got [{"port":81}]',
      'v1/Service//web.spec.type: missing (expected "NodePort")',
      'v1/Service//web.spec.clusterIP: unexpected "None"',
    ]);
  });

  it('treats a repeated list item as different from a single one', () => {
    expect(diffManifests([service([{ port: 80 }, { port: 80 }])], [service([{ port: 80 }])])).toHaveLength(1);
  });
});
