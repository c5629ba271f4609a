// Just enough YAML highlighting for a read-only view of generated objects: keys, scalars by type,
// list dashes, comments and document markers. Each line maps to tokens; joined, they give the line back.

export type YamlTokenKind =
  | 'key'
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'punctuation'
  | 'comment'
  | 'text';

export interface YamlToken {
  kind: YamlTokenKind;
  text: string;
}

const keyLine = /^(\s*)((?:- )*)((?:"[^"]*"|'[^']*'|[^\s:#'"][^:#]*?):)(?=\s|$)(.*)$/;
const itemLine = /^(\s*)((?:- )+)(.*)$/;

export function highlightYamlLine(line: string): YamlToken[] {
  if (/^\s*#/.test(line)) return [{ kind: 'comment', text: line }];
  if (line === '---' || line === '...') return [{ kind: 'punctuation', text: line }];
  const key = keyLine.exec(line);
  if (key) {
    const [, indent = '', dashes = '', name = '', rest = ''] = key;
    return compact([
      { kind: 'text', text: indent },
      { kind: 'punctuation', text: dashes },
      { kind: 'key', text: name },
      ...valueTokens(rest),
    ]);
  }
  const item = itemLine.exec(line);
  if (item) {
    const [, indent = '', dashes = '', rest = ''] = item;
    return compact([
      { kind: 'text', text: indent },
      { kind: 'punctuation', text: dashes },
      ...valueTokens(rest),
    ]);
  }
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  return compact([{ kind: 'text', text: lead }, ...valueTokens(line.slice(lead.length))]);
}

function valueTokens(text: string): YamlToken[] {
  const space = /^\s*/.exec(text)?.[0] ?? '';
  const value = text.slice(space.length);
  return [
    { kind: 'text', text: space },
    { kind: scalarKind(value), text: value },
  ];
}

function scalarKind(value: string): YamlTokenKind {
  if (value === '' || value === '|' || value === '>' || value === '|-' || value === '>-')
    return 'punctuation';
  if (/^(true|false)$/.test(value)) return 'boolean';
  if (/^(null|~)$/.test(value)) return 'null';
  if (/^-?\d+(\.\d+)?$/.test(value)) return 'number';
  return 'string';
}

function compact(tokens: YamlToken[]): YamlToken[] {
  return tokens.filter((t) => t.text !== '');
}
