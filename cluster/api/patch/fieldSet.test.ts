import { describe, expect, it } from 'vitest';
import { schemaForDefinition, schemaForKind } from '../openapi/schemas';
import { FieldSet, formatPath, removeAt, valueAt } from './fieldSet';
import { fieldsOf, retainFields } from './fieldWalk';

const pod = schemaForKind({ group: '', version: 'v1', kind: 'Pod' });
interface PodLike {
  metadata: { labels: Record<string, string>; finalizers: string[] };
  spec: { containers: Array<{ name: string; image: string; ports: Array<{ containerPort: number }> }> };
  status?: object;
}
const obj: PodLike = {
  metadata: { labels: { app: 'web' }, finalizers: ['x'] },
  spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
};

function podWith(change: (p: PodLike) => void): PodLike {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

describe('fieldSet', () => {
  it('turns an object into FieldsV1 with k:, v: and . members, and back', () => {
    const fields = fieldsOf(obj, pod).toFieldsV1();
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
    expect(FieldSet.fromFieldsV1(fields)).toEqual(fieldsOf(obj, pod));
  });

  it('reads FieldsV1 written by others into the form it writes: `.` first, every leaf {}', () => {
    const fields = { 'f:a': { 'f:x': {}, '.': {} }, 'f:b': true, 'f:c': { '.': {} } };
    const written = FieldSet.fromFieldsV1(fields).toFieldsV1();
    expect(written).toEqual({ 'f:a': { '.': {}, 'f:x': {} }, 'f:b': {}, 'f:c': {} });
    expect(Object.keys(written['f:a'] as object)).toEqual(['.', 'f:x']);
  });

  it('merges another set after its own paths, in that set’s order', () => {
    const set = FieldSet.fromFieldsV1({ 'f:spec': { 'f:b': {} } });
    set.merge(FieldSet.fromFieldsV1({ 'f:metadata': { 'f:name': {} }, 'f:spec': { 'f:a': {}, 'f:b': {} } }));
    const fields = set.toFieldsV1();
    expect(Object.keys(fields)).toEqual(['f:spec', 'f:metadata']);
    expect(Object.keys(fields['f:spec'] as object)).toEqual(['f:b', 'f:a']);
  });

  it('deletes a path with the nodes it leaves empty, keeping an item that is itself a member', () => {
    const set = fieldsOf(obj, pod);
    const item = ['f:spec', 'f:containers', 'k:{"name":"web"}'];
    for (const field of ['f:name', 'f:image']) set.delete([...item, field]);
    set.delete([...item, 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}', 'f:containerPort']);
    set.delete([...item, 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']);
    expect(set.covers([...item, 'f:ports'])).toBe(false);
    expect(set.has(item)).toBe(true);
    set.delete(item);
    expect(set.covers(['f:spec'])).toBe(false);
    expect([...set.paths()]).toEqual([
      ['f:metadata', 'f:labels', 'f:app'],
      ['f:metadata', 'f:finalizers', 'v:"x"'],
    ]);
  });

  it('finds only the paths a write changed: new or different leaves and items', () => {
    const next = podWith((p) => {
      p.metadata.labels = { app: 'web', tier: 'front' };
      p.spec.containers = p.spec.containers.map((c) => ({ ...c, image: 'nginx:2' }));
    });
    expect(fieldsOf(next, pod, { since: obj }).toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:tier': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } },
    });
    expect(fieldsOf(structuredClone(obj), pod, { since: obj }).isEmpty).toBe(true);
  });

  it('walks only the fields a scope lets in', () => {
    const scope = (key: string) =>
      key === 'metadata' ? (inner: string) => inner !== 'labels' : key !== 'spec';
    const next = podWith((p) => {
      p.metadata.labels.app = 'other';
      p.status = { phase: 'Running' };
    });
    expect(fieldsOf(next, pod, { scope }).toFieldsV1()).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} } },
      'f:status': { 'f:phase': {} },
    });
  });

  it('counts fields of duplicate list-map keys from every item but compares the first, as valueAt does', () => {
    const schema = schemaForDefinition('io.k8s.api.core.v1.Container');
    const before = { env: [{ name: 'A', value: '1' }] };
    const after = {
      env: [
        { name: 'A', value: '1' },
        { name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } },
      ],
    };
    expect(fieldsOf(after, schema).toFieldsV1()).toEqual({
      'f:env': {
        'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {}, 'f:valueFrom': { 'f:fieldRef': {} } },
      },
    });
    expect(fieldsOf(after, schema, { since: before }).toFieldsV1()).toEqual({
      'f:env': { 'k:{"name":"A"}': { 'f:valueFrom': { 'f:fieldRef': {} } } },
    });
  });

  it('keeps in each set only paths that are still fields of the object and not dropped', () => {
    const next = podWith((p) => {
      p.metadata.labels = {};
      p.spec.containers[0]?.ports.push({ containerPort: 81 });
    });
    const owner = fieldsOf(obj, pod);
    const other = FieldSet.fromFieldsV1({
      'f:spec': { 'f:nodeName': {} },
      'f:metadata': { 'f:finalizers': {} },
    });
    const drop = FieldSet.fromFieldsV1({ 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } } });
    retainFields([owner, other], next, pod, drop);
    expect(owner.toFieldsV1()).toEqual({
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
    // finalizers is a set list with items, so the list itself is not one field.
    expect(other.isEmpty).toBe(true);
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
