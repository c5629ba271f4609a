import { describe, expect, it } from 'vitest';
import { decimalExponent, milliQuantity } from './quantity';
import { objectFileName, pruneAndSort, toYamlStream } from './serialize';

describe('serialize', () => {
  it('sorts keys and prunes nulls, empty maps and empty lists, but keeps zero, false and ""', () => {
    expect(
      pruneAndSort({ b: 1, a: { z: null, y: {}, x: [], w: [{}, { v: 0 }] }, c: false, d: '', e: undefined }),
    ).toEqual({ a: { w: [{ v: 0 }] }, b: 1, c: false, d: '' });
    expect(Object.keys(pruneAndSort({ b: 1, a: 2 }) as object)).toEqual(['a', 'b']);
  });

  it('prints a --- document per object with quoted numeric strings and no folding', () => {
    const long = 'x'.repeat(120);
    const text = toYamlStream([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { port: '80' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { long } } as never,
    ]);
    expect(text).toBe(
      `---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    port: "80"\n  name: web\n\n---\napiVersion: v1\ndata:\n  long: ${long}\nkind: ConfigMap\nmetadata:\n  name: c\n\n`,
    );
  });

  it('names output files <name>-<kind>', () => {
    expect(objectFileName({ kind: 'PersistentVolumeClaim', metadata: { name: 'data' } }, 'json')).toBe(
      'data-persistentvolumeclaim.json',
    );
  });
});

describe('quantity', () => {
  it('writes byte counts in canonical DecimalExponent form like kompose', () => {
    expect(decimalExponent(10_000)).toBe('10e3');
    expect(decimalExponent(10_485_760_000)).toBe('10485760e3');
    expect(decimalExponent(52_428_800)).toBe('52428800');
    expect(decimalExponent(1_000_000)).toBe('1e6');
  });

  it('writes milli-units as whole units when they can', () => {
    expect(milliQuantity(500)).toBe('500m');
    expect(milliQuantity(2000)).toBe('2');
  });
});
