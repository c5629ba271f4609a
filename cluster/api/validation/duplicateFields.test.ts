import { describe, expect, it } from 'vitest';
import { findDuplicateFields, jsonRepeatsKeys } from './duplicateFields';

describe('findDuplicateFields', () => {
  it('reports repeated keys with their paths, inside lists too', () => {
    const body =
      '{"kind":"Deployment","spec":{"replicas":1,"replicas":2,"template":{"spec":{"containers":[{"name":"a","name":"b"}]}}}}';
    expect(findDuplicateFields(body)).toEqual(['spec.replicas', 'spec.template.spec.containers[0].name']);
  });

  it('finds nothing in a clean body', () => {
    expect(findDuplicateFields('{"a":{"b":1},"c":[{"b":2}]}')).toEqual([]);
  });
});

describe('jsonRepeatsKeys', () => {
  const repeats = (text: string) => jsonRepeatsKeys(text, JSON.parse(text));

  it('sees a key repeated at any depth, in objects inside lists too', () => {
    expect(repeats('{"a":1,"a":2}')).toBe(true);
    expect(repeats('{"spec":{"containers":[{"name":"a","image":"x","name":"b"}]}}')).toBe(true);
  });

  it('ignores colons, quotes and escapes inside strings', () => {
    expect(repeats('{"url":"http://h:80","note":"say \\"a:b\\"","path\\\\":"c:\\\\","x":[{"y":{}}]}')).toBe(
      false,
    );
  });
});
