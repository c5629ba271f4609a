// Variable interpolation as Docker Compose does it:
// `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
// `${VAR:+replacement}`, `${VAR+replacement}`, and `$$` for a literal `$`. Defaults may nest.
// https://docs.docker.com/reference/compose-file/interpolation/

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

export interface InterpolationResult {
  value: string;
  /** Variables referenced without a default that were not set (Compose warns and uses ""). */
  missing: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(input: string, lookup: Lookup): InterpolationResult {
  const missing: string[] = [];
  const value = expand(input, lookup, missing);
  return { value, missing };
}

function expand(input: string, lookup: Lookup, missing: string[]): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(input, i + 2);
      if (end < 0) throw new InterpolationError(`invalid interpolation format for ${JSON.stringify(input)}`);
      out += braced(input.slice(i + 2, end), lookup, missing, input);
      i = end + 1;
    } else {
      const name = NAME.exec(input.slice(i + 1))?.[0];
      if (!name) {
        out += '$';
        i++;
        continue;
      }
      out += resolve(name, lookup, missing);
      i += 1 + name.length;
    }
  }
  return out;
}

function closingBrace(input: string, from: number): number {
  let depth = 1;
  for (let i = from; i < input.length; i++) {
    if (input[i] === '{') depth++;
    else if (input[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function braced(body: string, lookup: Lookup, missing: string[], whole: string): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format for ${JSON.stringify(whole)}`);
  const rest = body.slice(name.length);
  if (rest === '') return resolve(name, lookup, missing);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) throw new InterpolationError(`invalid interpolation format for ${JSON.stringify(whole)}`);
  const arg = () => expand(rest.slice(op.length), lookup, missing);
  const value = lookup(name);
  const unsetOrEmpty = value === undefined || value === '';
  switch (op) {
    case ':-':
      return unsetOrEmpty ? arg() : value;
    case '-':
      return value === undefined ? arg() : value;
    case ':?':
      if (unsetOrEmpty)
        throw new InterpolationError(`required variable ${name} is missing a value: ${arg()}`);
      return value;
    case '?':
      if (value === undefined)
        throw new InterpolationError(`required variable ${name} is missing a value: ${arg()}`);
      return value;
    case ':+':
      return unsetOrEmpty ? '' : arg();
    default:
      return value === undefined ? '' : arg();
  }
}

function resolve(name: string, lookup: Lookup, missing: string[]): string {
  const value = lookup(name);
  if (value === undefined) {
    missing.push(name);
    return '';
  }
  return value;
}
