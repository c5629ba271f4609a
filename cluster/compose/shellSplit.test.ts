import { describe, expect, it } from 'vitest';
import { shellSplit } from './shellSplit';

describe('shellSplit', () => {
  it('splits on whitespace and groups quoted words', () => {
    expect(shellSplit(`sh -c "yarn install && yarn run dev"`)).toEqual([
      'sh',
      '-c',
      'yarn install && yarn run dev',
    ]);
    expect(shellSplit(`server --console-address ":9001" /data`)).toEqual([
      'server',
      '--console-address',
      ':9001',
      '/data',
    ]);
  });

  it('keeps single quotes literal and honours backslash escapes', () => {
    expect(shellSplit(`echo 'a "b"' c\\ d "e\\"f"`)).toEqual(['echo', 'a "b"', 'c d', 'e"f']);
  });

  it('keeps an empty quoted word and rejects an unterminated quote', () => {
    expect(shellSplit(`a "" b`)).toEqual(['a', '', 'b']);
    expect(() => shellSplit(`a "b`)).toThrow(/unterminated/);
  });
});
