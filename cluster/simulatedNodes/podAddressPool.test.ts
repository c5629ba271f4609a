import { describe, expect, it } from 'vitest';
import { PodAddressPool } from './podAddressPool';

describe('PodAddressPool', () => {
  it('hands out .2 upwards, one address per owner', () => {
    const pool = new PodAddressPool('10.245.7.0/24');
    expect(pool.allocate('a')).toBe('10.245.7.2');
    expect(pool.allocate('b')).toBe('10.245.7.3');
    expect(pool.allocate('a')).toBe('10.245.7.2');
    expect(pool.size).toBe(2);
  });

  it('reuses released addresses once the range wraps, and runs out after 253 pods', () => {
    const pool = new PodAddressPool('10.245.1.0/24');
    for (let i = 0; i < 253; i++) expect(pool.allocate(`p${i}`)).toBeDefined();
    expect(pool.allocate('one-too-many')).toBeUndefined();
    pool.release('p10');
    expect(pool.allocate('one-too-many')).toBe('10.245.1.12');
  });

  it('reserves addresses pods already report, refusing ones outside the CIDR or taken', () => {
    const pool = new PodAddressPool('10.245.1.0/24');
    expect(pool.reserve('a', '10.245.1.40')).toBe(true);
    expect(pool.reserve('b', '10.245.1.40')).toBe(false);
    expect(pool.reserve('c', '10.245.2.40')).toBe(false);
    expect(pool.reserve('d', '10.245.1.1')).toBe(false);
    expect(pool.allocate('a')).toBe('10.245.1.40');
  });
});
