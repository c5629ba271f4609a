import { describe, expect, it } from 'vitest';
import { appendLogLines, emptyLogBuffer, splitMatches } from './logBuffer';

describe('the log buffer', () => {
  it('keeps the newest lines and counts the ones let go, including those the host skipped', () => {
    let buffer = appendLogLines(emptyLogBuffer, ['a', 'b', 'c'], 0, 4);
    expect(buffer).toEqual({ lines: ['a', 'b', 'c'], dropped: 0 });
    buffer = appendLogLines(buffer, ['d', 'e', 'f'], 10, 4);
    expect(buffer).toEqual({ lines: ['c', 'd', 'e', 'f'], dropped: 12 });
  });

  it('marks every match of the search, ignoring case', () => {
    expect(splitMatches('Error: disk error', 'error')).toEqual([
      { text: 'Error', match: true },
      { text: ': disk ', match: false },
      { text: 'error', match: true },
    ]);
    expect(splitMatches('nothing here', 'x')).toEqual([{ text: 'nothing here', match: false }]);
    expect(splitMatches('plain', '')).toEqual([{ text: 'plain', match: false }]);
  });
});
