import { describe, expect, it } from 'vitest';
import { lazyMethods } from './lazyMethods';

describe('lazyMethods', () => {
  it('loads the handlers once, on the first call, and passes calls through', async () => {
    let loads = 0;
    const methods = lazyMethods(['double', 'negate'], async () => {
      loads += 1;
      return {
        double: async (n: number) => n * 2,
        negate: async (n: number) => -n,
      };
    });
    expect(loads).toBe(0);
    expect(await Promise.all([methods.double(4), methods.negate(3)])).toEqual([8, -3]);
    expect(await methods.double(1)).toBe(2);
    expect(loads).toBe(1);
  });

  it('passes a failing handler through as a rejection', async () => {
    const methods = lazyMethods(['fail'], async () => ({
      fail: async (_: null) => {
        throw new Error('refused');
      },
    }));
    await expect(methods.fail(null)).rejects.toThrow('refused');
  });
});
