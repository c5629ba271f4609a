import { describe, expect, it } from 'vitest';
import { nodeSelectorPredicate, requiredNodeAffinity } from './nodeSelectors';

const node = (name: string, labels: Record<string, string>) => ({ name, labels });

describe('node selectors', () => {
  it('ORs terms and ANDs the expressions of a term', () => {
    const matches = nodeSelectorPredicate({
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: 'zone', operator: 'In', values: ['a', 'b'] },
            { key: 'gpu', operator: 'DoesNotExist' },
          ],
        },
        { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      ],
    });
    expect(matches(node('n1', { zone: 'a' }))).toBe(true);
    expect(matches(node('n2', { zone: 'a', gpu: 'yes' }))).toBe(false);
    expect(matches(node('n3', { tier: 'x' }))).toBe(true);
    expect(matches(node('n4', { zone: 'c' }))).toBe(false);
  });

  it('compares integers with Gt and Lt and treats non-integers as no match', () => {
    const gt = nodeSelectorPredicate({
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }],
    });
    expect(gt(node('a', { cores: '8' }))).toBe(true);
    expect(gt(node('b', { cores: '4' }))).toBe(false);
    expect(gt(node('c', { cores: 'many' }))).toBe(false);
  });

  it('matches metadata.name fields, and an empty term matches nothing', () => {
    const byName = nodeSelectorPredicate({
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
    });
    expect(byName(node('n1', {}))).toBe(true);
    expect(byName(node('n2', {}))).toBe(false);
    expect(nodeSelectorPredicate({ nodeSelectorTerms: [{}] })(node('n1', {}))).toBe(false);
  });

  it('combines nodeSelector with required node affinity, and is absent when the pod has neither', () => {
    const required = requiredNodeAffinity({
      spec: {
        containers: [],
        nodeSelector: { disk: 'ssd' },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['c'] }] }],
            },
          },
        },
      },
    });
    expect(required?.(node('a', { disk: 'ssd', zone: 'a' }))).toBe(true);
    expect(required?.(node('b', { disk: 'ssd', zone: 'c' }))).toBe(false);
    expect(required?.(node('c', { zone: 'a' }))).toBe(false);
    expect(requiredNodeAffinity({ spec: { containers: [] } })).toBeUndefined();
  });
});
