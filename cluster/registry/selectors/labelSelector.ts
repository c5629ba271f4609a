// Label selectors as the API server reads them from `?labelSelector=` and from objects'
// `spec.selector`. Grammar, validation, matching and canonical string follow apimachinery
// `pkg/labels/selector.go` and `metav1.LabelSelectorAsSelector`.
import type { V1LabelSelector } from '@kubernetes/client-node';
import { labelValueErrors, qualifiedNameErrors } from './labelSyntax';
import { SelectorParseError } from './selectorParseError';

/** Kubernetes' `selection.Operator` values. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** Sorted by key, as Kubernetes keeps them. */
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector places no restriction (empty string, or `{}` in an object). */
  isEverything(): boolean;
  /** Canonical form, e.g. `app=web,tier in (a,b)`; empty for everything and for nothing. */
  toString(): string;
}

type Token =
  | 'end'
  | 'error'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | '<'
  | '!='
  | '('
  | 'in'
  | 'notin'
  | 'identifier';

interface Scanned {
  tok: Token;
  lit: string;
}

const keywords: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  '<': '<',
  '!=': '!=',
  '(': '(',
  in: 'in',
  notin: 'notin',
};

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) => '=!(),><'.includes(ch);

function lex(input: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input.charAt(pos))) pos++;
    if (pos >= input.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(input.charAt(pos))) {
      // Longest run of symbols that still forms an operator: "!=" rather than "!" then "=".
      let buffer = '';
      let last: Scanned | undefined;
      while (pos < input.length && isSpecial(input.charAt(pos))) {
        buffer += input.charAt(pos);
        const tok = keywords[buffer];
        if (tok) {
          last = { tok, lit: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let word = '';
    while (pos < input.length && !isSpecial(input.charAt(pos)) && !isWhitespace(input.charAt(pos))) {
      word += input.charAt(pos);
      pos++;
    }
    items.push({ tok: keywords[word] ?? 'identifier', lit: word });
  }
}

/** Builds a validated requirement, throwing Kubernetes' field-error wording on bad keys or values. */
function requirement(
  key: string,
  operator: LabelOperator,
  values: string[],
  keyPath = 'key',
): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length > 0)
    errs.push(`${keyPath}: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    errs.push("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
  }
  if ((operator === 'gt' || operator === 'lt') && values.some((v) => !/^[-+]?\d+$/.test(v))) {
    errs.push("values: Invalid value: for 'Gt', 'Lt' operators, the value must be an integer");
  }
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) {
      errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${valueErrs.join('; ')}`);
    }
  });
  if (errs.length > 0)
    throw new SelectorParseError(errs.length === 1 ? (errs[0] ?? '') : `[${errs.join(', ')}]`);
  return { key, operator, values };
}

class Parser {
  private position = 0;
  constructor(private readonly items: Scanned[]) {}

  // In a value position the words `in` and `notin` are plain identifiers (`x in (in)`).
  private peek(asValue: boolean): Scanned {
    const item = this.items[this.position] ?? { tok: 'end', lit: '' };
    return asValue && (item.tok === 'in' || item.tok === 'notin')
      ? { tok: 'identifier', lit: item.lit }
      : item;
  }

  private next(asValue: boolean): Scanned {
    const item = this.peek(asValue);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === 'end') return requirements;
      if (tok !== 'identifier' && tok !== '!') {
        throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof SelectorParseError) {
          throw new SelectorParseError(`unable to parse requirement: ${err.message}`);
        }
        throw err;
      }
      const after = this.next(true);
      if (after.tok === 'end') return requirements;
      if (after.tok !== ',') {
        throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      }
      const following = this.peek(true);
      if (following.tok !== 'identifier' && following.tok !== '!') {
        throw new SelectorParseError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let item = this.next(true);
    const negated = item.tok === '!';
    if (negated) item = this.next(true);
    if (item.tok !== 'identifier') throw new SelectorParseError(`found '${item.lit}', expected: identifier`);
    const key = item.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length > 0) {
      throw new SelectorParseError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    }
    const ahead = this.peek(true).tok;
    if (ahead === 'end' || ahead === ',') return requirement(key, negated ? '!' : 'exists', []);
    const op = this.next(false);
    const operators: Partial<Record<Token, LabelOperator>> = {
      in: 'in',
      notin: 'notin',
      '=': '=',
      '==': '==',
      '!=': '!=',
      '>': 'gt',
      '<': 'lt',
    };
    const operator = operators[op.tok];
    if (!operator) throw new SelectorParseError(`found '${op.lit}', expected: '=', '!=', '==', 'in', notin'`);
    const values = operator === 'in' || operator === 'notin' ? this.parseValueSet() : this.parseExactValue();
    return requirement(key, operator, values);
  }

  private parseValueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const first = this.peek(true);
    if (first.tok === ')') {
      this.next(true);
      return [''];
    }
    if (first.tok !== 'identifier' && first.tok !== ',') {
      throw new SelectorParseError(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    // Empty entries (`(a,,b)`, `(,a)`) stand for the empty value, as in Kubernetes.
    const values = new Set<string>();
    for (;;) {
      const item = this.next(true);
      if (item.tok === 'identifier') {
        values.add(item.lit);
        const after = this.peek(true);
        if (after.tok === ',') continue;
        if (after.tok === ')') break;
        throw new SelectorParseError(`found '${after.lit}', expected: ',' or ')'`);
      }
      if (item.tok === ',') {
        if (values.size === 0) values.add('');
        const after = this.peek(true);
        if (after.tok === ')') {
          values.add('');
          break;
        }
        if (after.tok === ',') {
          this.next(true);
          values.add('');
        }
        continue;
      }
      throw new SelectorParseError(`found '${item.lit}', expected: ',', or identifier`);
    }
    const close = this.next(true);
    if (close.tok !== ')') throw new SelectorParseError(`found '${first.lit}', expected: ')'`);
    return [...values].sort();
  }

  private parseExactValue(): string[] {
    const ahead = this.peek(true);
    if (ahead.tok === 'end' || ahead.tok === ',') return [''];
    const item = this.next(true);
    if (item.tok === 'identifier') return [item.lit];
    throw new SelectorParseError(`found '${item.lit}', expected: identifier`);
  }
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value ?? '');
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?\d+$/.test(value ?? '')) return false;
      const actual = Number(value);
      const wanted = Number(r.values[0]);
      return r.operator === 'gt' ? actual > wanted : actual < wanted;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  const values = [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

function selectorOf(requirements: LabelRequirement[]): LabelSelector {
  // Stable sort by key, so equal keys keep their written order like Go's sort.Sort here.
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: sorted,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels ?? {})),
    isEverything: () => sorted.length === 0,
    toString: () => sorted.map(requirementString).join(','),
  };
}

/** A selector that matches no object: what a missing (`null`) selector means in an object. */
const nothing: LabelSelector = {
  requirements: [],
  matches: () => false,
  isEverything: () => false,
  toString: () => '',
};

/** Parses the `labelSelector` query syntax; throws SelectorParseError with Kubernetes' wording. */
export function parseLabelSelector(text: string): LabelSelector {
  return selectorOf(new Parser(lex(text)).parse());
}

/**
 * Converts an object's `metav1.LabelSelector`. A missing selector matches nothing and `{}` matches
 * everything, as `LabelSelectorAsSelector` decides.
 */
export function labelSelectorFromObject(sel: V1LabelSelector | null | undefined): LabelSelector {
  if (!sel) return nothing;
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    requirements.push(requirement(key, '=', [value]));
  }
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])];
    switch (expr.operator) {
      case 'In':
        requirements.push(requirement(expr.key, 'in', values));
        break;
      case 'NotIn':
        requirements.push(requirement(expr.key, 'notin', values));
        break;
      case 'Exists':
        requirements.push(requirement(expr.key, 'exists', []));
        break;
      case 'DoesNotExist':
        requirements.push(requirement(expr.key, '!', []));
        break;
      default:
        throw new SelectorParseError(
          `${JSON.stringify(expr.operator)} is not a valid label selector operator`,
        );
    }
  }
  return selectorOf(requirements);
}
