import { describe, expect, it } from 'vitest';
import { findDuplicateFields } from './duplicateFields';

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
