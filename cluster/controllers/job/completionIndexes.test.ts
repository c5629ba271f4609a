import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { duplicatedIndexPods, firstPendingIndexes, formatIndexes, parseIndexes } from './completionIndexes';

const pod = (name: string, index: string | undefined, ready = false): V1Pod => ({
  metadata: {
    name,
    annotations: index === undefined ? {} : { 'batch.kubernetes.io/job-completion-index': index },
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('completion indexes', () => {
  it('formats runs of three or more as ranges and pairs as lists, as Kubernetes does', () => {
    expect(formatIndexes([7, 1, 3, 4, 5, 9, 10])).toBe('1,3-5,7,9,10');
    expect(formatIndexes([])).toBe('');
    expect(formatIndexes([0, 1, 2])).toBe('0-2');
  });

  it('parses completedIndexes, dropping malformed parts and indexes past completions', () => {
    expect([...parseIndexes('1,3-5,x,7,9-12', 10)].sort((a, b) => a - b)).toEqual([1, 3, 4, 5, 7, 9]);
    expect(parseIndexes(undefined, 3).size).toBe(0);
  });

  it('picks the lowest indexes neither succeeded nor running', () => {
    expect(firstPendingIndexes(new Set([0, 2]), [pod('a', '1')], 2, 6)).toEqual([3, 4]);
    expect(firstPendingIndexes(new Set([0, 1]), [], 5, 2)).toEqual([]);
  });

  it('removes pods without a valid index and all but the best pod of a repeated index', () => {
    const best = pod('best', '1', true);
    const { remove, keep } = duplicatedIndexPods(
      [pod('dup', '1'), best, pod('none', undefined), pod('far', '5'), pod('ok', '0')],
      3,
    );
    expect(remove.map((p) => p.metadata?.name).sort()).toEqual(['dup', 'far', 'none']);
    expect(keep.map((p) => p.metadata?.name).sort()).toEqual(['best', 'ok']);
  });
});
