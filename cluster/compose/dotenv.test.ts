// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax, not JS templates.
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './dotenv';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, skipping comments and blank lines', () => {
    expect(parseEnvFile('# comment\n\nA=1\nexport B = two \nC=x # trailing\nD=\n')).toEqual({
      A: '1',
      B: 'two',
      C: 'x',
      D: '',
    });
  });

  it('keeps single-quoted values literal and expands double-quoted and bare ones', () => {
    const vars = parseEnvFile(`A=base\nB='$A'\nC="$A\\n\\$A"\nD=\${A}-x\nE=\${MISSING:-dflt}`);
    expect(vars).toEqual({ A: 'base', B: '$A', C: 'base\n$A', D: 'base-x', E: 'dflt' });
  });

  it('expands from earlier lines first, then from the lookup', () => {
    const vars = parseEnvFile('X=${OUTER}\nY=${X}!', (name) => (name === 'OUTER' ? 'out' : undefined));
    expect(vars).toEqual({ X: 'out', Y: 'out!' });
  });

  it('reads a double-quoted value over several lines', () => {
    expect(parseEnvFile('KEY="line one\nline two"\nNEXT=1')).toEqual({
      KEY: 'line one\nline two',
      NEXT: '1',
    });
  });

  it('rejects a line that is not an assignment', () => {
    expect(() => parseEnvFile('not valid!')).toThrow(/line 1/);
  });
});
