import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './mergePatch';
import { PatchError } from './patchError';

describe('applyMergePatch', () => {
  it('scales as kubectl scale does and deletes keys set to null', () => {
    const scale = { spec: { replicas: 1 }, metadata: { labels: { a: '1', b: '2' } } };
    const out = applyMergePatch(scale, { spec: { replicas: 3 }, metadata: { labels: { b: null } } });
    expect(out).toEqual({ spec: { replicas: 3 }, metadata: { labels: { a: '1' } } });
    expect(scale.spec.replicas).toBe(1);
  });

  it('replaces lists whole', () => {
    expect(applyMergePatch({ items: [1, 2, 3] }, { items: [4] })).toEqual({ items: [4] });
  });

  it('rejects a patch that is not an object', () => {
    expect(() => applyMergePatch({}, [1])).toThrow(PatchError);
    expect(() => applyMergePatch({}, 'x')).toThrow(/must be a JSON object/);
  });
});
