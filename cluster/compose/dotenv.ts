import { interpolate, type Lookup } from './interpolate';

// Reads an env file with Compose's rules: `KEY=VALUE` lines, optional `export `, `#` comments,
// single quotes literal, double quotes with escapes, and `${VAR}` expanded from earlier lines
// and then from `lookup`. (The `dotenv` package drops the quoting we need to decide expansion.)
// https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax

export function parseEnvFile(text: string, lookup: Lookup = () => undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  const scoped: Lookup = (name) => (Object.hasOwn(vars, name) ? vars[name] : lookup(name));
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=?)\s*(.*)$/.exec(line);
    if (!match) throw new Error(`line ${n + 1}: unexpected character in variable name: ${line}`);
    const [, key = '', equals, raw = ''] = match;
    if (!equals) {
      // A bare `KEY` passes the variable through from the environment; anything else is a typo.
      if (raw !== '') throw new Error(`line ${n + 1}: expected KEY=VALUE: ${line}`);
      const value = lookup(key);
      if (value !== undefined) vars[key] = value;
      continue;
    }
    let value: string;
    if (raw.startsWith("'")) {
      value = closeQuote(raw, "'", lines, n, (v) => v);
    } else if (raw.startsWith('"')) {
      value = closeQuote(raw, '"', lines, n, (v) => interpolate(unescapeDoubleQuoted(v), scoped).value);
    } else {
      value = interpolate(raw.replace(/\s+#.*$/, '').trim(), scoped).value;
    }
    vars[key] = value;
  }
  return vars;
}

function closeQuote(
  raw: string,
  q: string,
  lines: string[],
  n: number,
  finish: (v: string) => string,
): string {
  let body = raw.slice(1);
  // A quoted value may run over several lines.
  while (!hasClosingQuote(body, q) && n + 1 < lines.length) body += `\n${lines.splice(n + 1, 1)[0]}`;
  const end = closingIndex(body, q);
  return finish(end < 0 ? body : body.slice(0, end));
}

function hasClosingQuote(body: string, q: string): boolean {
  return closingIndex(body, q) >= 0;
}

function closingIndex(body: string, q: string): number {
  for (let i = 0; i < body.length; i++) {
    if (q === '"' && body[i] === '\\') i++;
    else if (body[i] === q) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(value: string): string {
  return value.replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', $: '$$' })[c] ?? c);
}
