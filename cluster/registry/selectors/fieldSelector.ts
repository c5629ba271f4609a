// Field selectors from `?fieldSelector=`: only `=`, `==` and `!=`, terms joined by commas, with
// backslash escapes for `\`, `,`, `=` and `!` in values (apimachinery `pkg/fields/selector.go`).
import { SelectorParseError } from './selectorParseError';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  /** Sorted by term text, as Kubernetes keeps them. */
  requirements(): readonly FieldRequirement[];
  /** A missing field counts as the empty string. */
  matches(fields: Record<string, string>): boolean;
  isEverything(): boolean;
  /** The value an `=` term demands for `field`, e.g. `metadata.name` for single-object watches. */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

const escapable = new Set(['\\', ',', '=', '!']);

/** Splits on commas not preceded by an escaping backslash. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (escaped) {
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function splitTerm(term: string): [string, '=' | '!=', string] | undefined {
  let escaped = false;
  for (let i = 0; i < term.length; i++) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (term.charAt(i) === '\\') {
      escaped = true;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i))
        return [term.slice(0, i), op === '!=' ? '!=' : '=', term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\\') {
      const next = value.charAt(i + 1);
      if (!escapable.has(next)) {
        throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${next}`);
      }
      out += next;
      i++;
    } else if (escapable.has(ch)) {
      throw new SelectorParseError(`invalid field selector: unescaped character in value: ${ch}`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** Escapes a value for use in a field selector string. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=!]/g, (ch) => `\\${ch}`);
}

/** Parses the `fieldSelector` query syntax; throws SelectorParseError with Kubernetes' wording. */
export function parseFieldSelector(text: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  const terms = splitTerms(text).sort();
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [field, operator, raw] = split;
    reqs.push({ field, operator, value: unescapeValue(raw) });
  }
  return {
    requirements: () => reqs,
    matches: (fields) => reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '=')),
    isEverything: () => reqs.length === 0,
    requiresExactMatch: (field) => reqs.find((r) => r.field === field && r.operator === '=')?.value,
    toString: () => reqs.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(','),
  };
}
