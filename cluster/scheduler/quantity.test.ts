import { describe, expect, it } from 'vitest';
import { milliValue, unitValue } from './quantity';

describe('quantities', () => {
  it('reads CPU in millicores', () => {
    expect(milliValue('250m')).toBe(250);
    expect(milliValue('2')).toBe(2000);
    expect(milliValue('0.1')).toBe(100);
    expect(milliValue('1.5')).toBe(1500);
    expect(milliValue(3)).toBe(3000);
  });

  it('reads binary and decimal suffixes and exponents exactly', () => {
    expect(unitValue('64Mi')).toBe(64 * 1024 * 1024);
    expect(unitValue('1.5Gi')).toBe(1.5 * 1024 ** 3);
    expect(unitValue('1k')).toBe(1000);
    expect(unitValue('2M')).toBe(2_000_000);
    expect(unitValue('1e3')).toBe(1000);
    expect(unitValue('110')).toBe(110);
  });

  it('rounds fractions of a unit up, as Quantity.Value does', () => {
    expect(unitValue('100m')).toBe(1);
    expect(milliValue('1u')).toBe(1);
    expect(milliValue('0.0001')).toBe(1);
  });

  it('rejects malformed quantities', () => {
    expect(() => unitValue('lots')).toThrow('invalid quantity "lots"');
    expect(() => unitValue('')).toThrow();
  });
});
