import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './jsonPatch';
import { PatchError } from './patchError';

describe('applyJsonPatch', () => {
  const rs = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } } };

  it('replaces the template as kubectl rollout undo does, guarded by a test operation', () => {
    const template = { spec: { containers: [{ name: 'web', image: 'nginx:0' }] } };
    const out = applyJsonPatch(rs, [
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'web' },
      { op: 'replace', path: '/spec/template', value: template },
    ]);
    expect(out.spec.template).toEqual(template);
    expect(rs.spec.template.spec.containers[0]?.image).toBe('nginx:1');
  });

  it('throws PatchError naming the failing operation', () => {
    expect(() =>
      applyJsonPatch(rs, [{ op: 'test', path: '/spec/template/spec/containers/0/name', value: 'x' }]),
    ).toThrow(/operation 0: test \/spec\/template\/spec\/containers\/0\/name/);
    expect(() => applyJsonPatch(rs, [{ op: 'remove', path: '/nope' }])).toThrow(PatchError);
    expect(() => applyJsonPatch(rs, [{ op: 'frobnicate', path: '/spec' }])).toThrow(PatchError);
    expect(() => applyJsonPatch(rs, { op: 'add' })).toThrow(/must be an array/);
  });
});
