import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { computeHash, equalIgnoreHash, fnv1a32, podTemplateHashLabel, safeEncode } from './podTemplateHash';

const template: V1PodTemplateSpec = {
  metadata: { labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
};

describe('pod template hash', () => {
  it('uses 32-bit FNV-1a', () => {
    expect(fnv1a32(new Uint8Array())).toBe(0x811c9dc5);
    expect(fnv1a32(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv1a32(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });

  it('encodes digits in the alphabet of generated names', () => {
    // Byte value modulo 27: '0' is 48, so the digits map to the alphabet's tail then head.
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    expect(safeEncode('4294967295')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it('depends on the template, not on key order, and changes with the collision count', () => {
    const reordered: V1PodTemplateSpec = {
      spec: { containers: [{ image: 'nginx:1.27', name: 'web' }] },
      metadata: { labels: { tier: 'front', app: 'web' } },
    };
    expect(computeHash(reordered)).toBe(computeHash(template));
    const changed = structuredClone(template);
    (changed.spec?.containers[0] as { image: string }).image = 'nginx:1.28';
    expect(computeHash(changed)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
  });

  it('compares templates ignoring the hash label and empty collections', () => {
    const labelled = structuredClone(template);
    labelled.metadata = {
      labels: { ...template.metadata?.labels, [podTemplateHashLabel]: 'abc' },
      annotations: {},
    };
    expect(equalIgnoreHash(labelled, template)).toBe(true);
    const other = structuredClone(template);
    other.metadata = { labels: { app: 'web' } };
    expect(equalIgnoreHash(other, template)).toBe(false);
  });
});
