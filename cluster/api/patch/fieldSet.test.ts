import { describe, expect, it } from 'vitest';
import { schemaForKind } from '../openapi/schemas';
import { fieldsOf, formatPath, fromFieldsV1, removeAt, toFieldsV1, valueAt } from './fieldSet';

const pod = schemaForKind({ group: '', version: 'v1', kind: 'Pod' });
const obj = {
  metadata: { labels: { app: 'web' }, finalizers: ['x'] },
  spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
};

describe('fieldSet', () => {
  it('turns an object into FieldsV1 with k:, v: and . members, and back', () => {
    const fields = toFieldsV1(fieldsOf(obj, pod));
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:finalizers': { 'v:"x"': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:name': {},
            'f:image': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    });
    expect(fromFieldsV1(fields)).toEqual(fieldsOf(obj, pod));
  });

  it('reads, prints and removes paths through list items', () => {
    const path = ['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'];
    expect(valueAt(obj, path, pod)).toBe('nginx');
    expect(formatPath(path)).toBe('.spec.containers[name="web"].image');
    const copy = structuredClone(obj);
    removeAt(copy, ['f:spec', 'f:containers', 'k:{"name":"web"}'], pod);
    removeAt(copy, ['f:metadata', 'f:finalizers', 'v:"x"'], pod);
    expect(copy).toEqual({ metadata: { labels: { app: 'web' }, finalizers: [] }, spec: { containers: [] } });
  });
});
