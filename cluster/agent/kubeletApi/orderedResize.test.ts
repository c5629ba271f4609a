import { describe, expect, it } from 'vitest';
import { orderedResize } from './orderedResize';
import type { TerminalSize } from './streamProtocol';

describe('orderedResize', () => {
  it('applies one size at a time and ends at the newest, skipping sizes overtaken meanwhile', async () => {
    const applied: TerminalSize[] = [];
    const finish: (() => void)[] = [];
    const resize = orderedResize(
      (size) =>
        new Promise<void>((resolve) => {
          applied.push(size);
          finish.push(resolve);
        }),
    );
    resize({ Width: 80, Height: 24 });
    resize({ Width: 100, Height: 30 });
    resize({ Width: 124, Height: 43 });
    expect(applied).toEqual([{ Width: 80, Height: 24 }]);
    finish.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(applied).toEqual([
      { Width: 80, Height: 24 },
      { Width: 124, Height: 43 },
    ]);
    finish.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(applied).toHaveLength(2);
  });

  it('goes on after a refused call', async () => {
    const applied: number[] = [];
    const resize = orderedResize(async (size) => {
      applied.push(size.Width);
      if (size.Width === 1) throw new Error('not running');
    });
    resize({ Width: 1, Height: 1 });
    resize({ Width: 2, Height: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(applied).toEqual([1, 2]);
  });
});
