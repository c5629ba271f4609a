// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax, not JS templates.
import { describe, expect, it } from 'vitest';
import { InterpolationError, interpolate } from './interpolate';

const env: Record<string, string> = { NAME: 'web', EMPTY: '', PORT: '8080' };
const lookup = (name: string) => env[name];

describe('interpolate', () => {
  it('substitutes $VAR and ${VAR}', () => {
    expect(interpolate('$NAME:${PORT}', lookup).value).toBe('web:8080');
  });

  it('uses defaults for unset (-) and for unset or empty (:-) variables', () => {
    expect(interpolate('${EMPTY-a}|${EMPTY:-b}|${NOPE-c}|${NOPE:-d}', lookup).value).toBe('|b|c|d');
  });

  it('expands nested defaults', () => {
    expect(interpolate('${NOPE:-${NAME}-${PORT}}', lookup).value).toBe('web-8080');
  });

  it('replaces only set variables with :+ and +', () => {
    expect(interpolate('${NAME:+yes}|${EMPTY:+yes}|${EMPTY+set}|${NOPE+set}', lookup).value).toBe(
      'yes||set|',
    );
  });

  it('fails with the message of a required variable', () => {
    expect(() => interpolate('${NOPE:?give a name}', lookup)).toThrow(
      new InterpolationError('required variable NOPE is missing a value: give a name'),
    );
    expect(() => interpolate('${EMPTY:?x}', lookup)).toThrow(InterpolationError);
    expect(interpolate('${EMPTY?x}', lookup).value).toBe('');
  });

  it('keeps $$ as a literal dollar and lists variables that were not set', () => {
    const result = interpolate('$$HOME ${NOPE} $OTHER', lookup);
    expect(result.value).toBe('$HOME  ');
    expect(result.missing).toEqual(['NOPE', 'OTHER']);
  });

  it('rejects an unterminated or malformed reference', () => {
    expect(() => interpolate('${NAME', lookup)).toThrow(InterpolationError);
    expect(() => interpolate('${1BAD}', lookup)).toThrow(InterpolationError);
  });
});
