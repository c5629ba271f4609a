// The subset of Kubernetes JSONPath (client-go `util/jsonpath`) that CustomResourceDefinition
// printer columns use: `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[*]` and filters such as
// `[?(@.type=="Ready")]`. Missing keys yield no result rather than an error, as for printer columns.

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op?: string; value?: unknown };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (/^'.*'$/.test(t)) return t.slice(1, -1);
  if (/^".*"$/.test(t)) return JSON.parse(t);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  throw new JsonPathError(`unrecognized literal ${t}`);
}

function parseSteps(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  // Printer columns are written `.spec.x`; `{.spec.x}` and `$.spec.x` mean the same.
  let text = path.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (text.startsWith('$')) text = text.slice(1);
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === '.') {
      let end = i + 1;
      while (end < text.length && text.charAt(end) !== '.' && text.charAt(end) !== '[') end++;
      const name = text.slice(i + 1, end);
      if (name !== '') steps.push({ kind: 'field', name });
      i = end;
    } else if (ch === '[') {
      const close = findClose(text, i);
      const inner = text.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: String(parseLiteral(inner)) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1)));
      else throw new JsonPathError(`unsupported subscript [${inner}] in ${path}`);
    } else {
      throw new JsonPathError(`unexpected ${JSON.stringify(ch)} in ${path}`);
    }
  }
  return steps;
}

/** Index of the `]` closing the `[` at `open`, skipping quoted text and nested brackets. */
function findClose(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '[') {
      depth++;
    } else if (ch === ']' && --depth === 0) {
      return i;
    }
  }
  throw new JsonPathError(`unclosed [ in ${text}`);
}

function parseFilter(expr: string): Step {
  const match = /^\s*@((?:\.[^.=!<>\s[]+|\[[^\]]*\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/.exec(expr);
  if (!match) throw new JsonPathError(`unsupported filter ?(${expr})`);
  const [, subPath = '', op, literal] = match;
  return op
    ? { kind: 'filter', path: parseSteps(subPath), op, value: parseLiteral(literal ?? '') }
    : { kind: 'filter', path: parseSteps(subPath) };
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    default: {
      if (typeof a !== 'number' || typeof b !== 'number') return false;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
  }
}

function apply(steps: Step[], roots: unknown[]): unknown[] {
  let current = roots;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        if (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, step.name)) {
          next.push((value as Record<string, unknown>)[step.name]);
        }
      } else if (Array.isArray(value)) {
        if (step.kind === 'index') {
          const at = step.index < 0 ? value.length + step.index : step.index;
          if (at >= 0 && at < value.length) next.push(value[at]);
        } else if (step.kind === 'all') {
          next.push(...value);
        } else {
          for (const item of value) {
            const found = apply(step.path, [item]);
            if (
              step.op === undefined
                ? found.length > 0
                : found.some((f) => compare(f, step.op ?? '', step.value))
            ) {
              next.push(item);
            }
          }
        }
      } else if (step.kind === 'all' && value && typeof value === 'object') {
        next.push(...Object.values(value));
      }
    }
    current = next;
  }
  return current;
}

/** Compiles a JSONPath; the returned function lists every match in `data`, in document order. */
export function compileJsonPath(path: string): (data: unknown) => unknown[] {
  const steps = parseSteps(path);
  return (data) => apply(steps, [data]);
}
