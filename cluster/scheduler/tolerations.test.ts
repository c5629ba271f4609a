import { describe, expect, it } from 'vitest';
import { firstUntoleratedTaint, toleratesTaint } from './tolerations';

const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('tolerations', () => {
  it('matches key, value and effect with the Equal operator', () => {
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('matches any value with Exists, and every taint with an empty key and Exists', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });

  it('finds the first taint left untolerated', () => {
    const other = { key: 'zone', value: 'b', effect: 'NoExecute' };
    expect(firstUntoleratedTaint([taint, other], [{ key: 'dedicated', operator: 'Exists' }])).toBe(other);
    expect(firstUntoleratedTaint([taint], [{ operator: 'Exists' }])).toBeUndefined();
  });
});
