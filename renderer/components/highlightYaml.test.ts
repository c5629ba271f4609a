import { describe, expect, it } from 'vitest';
import { highlightYamlLine } from './highlightYaml';

describe('highlightYamlLine', () => {
  it('splits keys, list dashes and typed scalars, and gives the line back when joined', () => {
    const lines = [
      'apiVersion: apps/v1',
      '  replicas: 1',
      '    - name: "8080"',
      '      - containerPort: 80',
      '  enabled: true',
      '  - nginx:1.27',
      '  labels:',
      '# comment',
      '---',
    ];
    for (const line of lines)
      expect(
        highlightYamlLine(line)
          .map((t) => t.text)
          .join(''),
      ).toBe(line);
    expect(highlightYamlLine('apiVersion: apps/v1')).toEqual([
      { kind: 'key', text: 'apiVersion:' },
      { kind: 'text', text: ' ' },
      { kind: 'string', text: 'apps/v1' },
    ]);
    expect(highlightYamlLine('  replicas: 1').map((t) => t.kind)).toEqual(['text', 'key', 'text', 'number']);
    expect(highlightYamlLine('    - name: "8080"').map((t) => t.kind)).toEqual([
      'text',
      'punctuation',
      'key',
      'text',
      'string',
    ]);
    expect(highlightYamlLine('  enabled: true').at(-1)?.kind).toBe('boolean');
    expect(highlightYamlLine('  - nginx:1.27').map((t) => t.kind)).toEqual(['text', 'punctuation', 'string']);
    expect(highlightYamlLine('# comment')).toEqual([{ kind: 'comment', text: '# comment' }]);
  });

  it('does not take a colon inside a value for a key', () => {
    expect(highlightYamlLine('  image: nginx:1.27').map((t) => t.text)).toEqual([
      '  ',
      'image:',
      ' ',
      'nginx:1.27',
    ]);
    expect(highlightYamlLine('  - redis:7').map((t) => t.kind)).toEqual(['text', 'punctuation', 'string']);
  });
});
