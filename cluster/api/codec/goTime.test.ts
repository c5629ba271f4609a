import { describe, expect, it } from 'vitest';
import { goDuration, rfc3339, rfc3339Micro } from './goTime';

describe('Go time formats', () => {
  it('formats Time and MicroTime in UTC', () => {
    expect(rfc3339(1199149261)).toBe('2008-01-01T01:01:01Z');
    expect(rfc3339Micro(1199149261, 5_000)).toBe('2008-01-01T01:01:01.000005Z');
  });

  it('formats durations like time.Duration.String', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(1500)).toBe('1.5µs');
    expect(goDuration(1_500_000)).toBe('1.5ms');
    expect(goDuration(3_723_500_000_000)).toBe('1h2m3.5s');
    expect(goDuration(60_000_000_000)).toBe('1m0s');
    expect(goDuration(-2_000_000_000)).toBe('-2s');
  });
});
