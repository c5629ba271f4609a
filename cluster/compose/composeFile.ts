import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
  type ScalarTag,
} from 'yaml';
import { ComposeError } from './composeError';
import { InterpolationError, interpolate, type Lookup } from './interpolate';
import { type PhaseTimer, untimed } from './phaseTimer';
import type { LoadWarning } from './types';

// One compose file parsed with the `yaml` package, interpolated in place, with the line of every
// key path kept so later stages (schema validation, conversion) can point at the source.

export type KeyPath = readonly (string | number)[];

export interface ComposeFile {
  path: string;
  data: Record<string, unknown>;
  lineOf(path: KeyPath): number | undefined;
  warnings: LoadWarning[];
}

export interface ParseOptions {
  interpolate: boolean;
  lookup: Lookup;
  timer?: PhaseTimer;
}

/** `services.web.ports[0]`: the way errors name a key. */
export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

export function parseComposeFile(path: string, text: string, options: ParseOptions): ComposeFile {
  const timed = options.timer ?? untimed;
  const lineCounter = new LineCounter();
  const doc = timed('parse', () =>
    parseDocument(text, {
      lineCounter,
      merge: true,
      prettyErrors: false,
      customTags: (tags) => [legacyOctal, ...tags],
    }),
  );
  const [error] = doc.errors;
  if (error) {
    throw new ComposeError(error.message.split('\n')[0] ?? error.message, {
      file: path,
      line: lineCounter.linePos(error.pos[0]).line,
    });
  }
  const warnings: LoadWarning[] = [];
  if (options.interpolate) {
    timed('interpolate', () =>
      interpolateDocument(path, doc.contents, lineCounter, options.lookup, warnings),
    );
  }
  const data = timed('parse', () => doc.toJS({ maxAliasCount: -1 })) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ComposeError('top-level object must be a mapping', { file: path, line: 1 });
  }
  // Lines are needed only to report a problem, so the key path → line index is built on first use.
  let lines: Map<string, number> | undefined;
  return {
    path,
    data: data as Record<string, unknown>,
    lineOf: (keyPath) => {
      lines ??= keyLines(doc.contents, lineCounter);
      return nearestLine(lines, keyPath);
    },
    warnings,
  };
}

function lineAt(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** The line of every key path: a key's own line for map entries, the node's line otherwise. */
function keyLines(root: unknown, lineCounter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  const walk = (node: unknown, keyPath: (string | number)[]): void => {
    if (isAlias(node)) return;
    const line = lineAt(node, lineCounter);
    if (line !== undefined) lines.set(formatKeyPath(keyPath), line);
    if (isMap(node)) {
      for (const pair of node.items) {
        const childPath = [...keyPath, keyName(pair.key)];
        walk(pair.value, childPath);
        const keyLine = lineAt(pair.key, lineCounter);
        if (keyLine !== undefined) lines.set(formatKeyPath(childPath), keyLine);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, [...keyPath, index]);
      });
    }
  };
  walk(root, []);
  return lines;
}

/** Interpolates every string scalar in place; map keys are left as written, as Compose does. */
function interpolateDocument(
  path: string,
  root: unknown,
  lineCounter: LineCounter,
  lookup: Lookup,
  warnings: LoadWarning[],
): void {
  // One shared key path, extended and restored while walking: most scalars hold no `$` and
  // never need it as an array or a string.
  const keyPath: (string | number)[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        keyPath.push(keyName(pair.key));
        visit(pair.value);
        keyPath.pop();
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        keyPath.push(index);
        visit(item);
        keyPath.pop();
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      interpolateScalar(node);
    }
  };
  const interpolateScalar = (node: Scalar) => {
    try {
      const { value, missing } = interpolate(node.value as string, lookup);
      for (const name of missing) {
        warnings.push({
          file: path,
          line: lineAt(node, lineCounter),
          keyPath: formatKeyPath(keyPath),
          message: `The "${name}" variable is not set. Defaulting to a blank string.`,
        });
      }
      node.value = node.type === Scalar.PLAIN ? castInterpolated(keyPath, value) : value;
    } catch (err) {
      if (!(err instanceof InterpolationError)) throw err;
      throw new ComposeError(err.message, {
        file: path,
        line: lineAt(node, lineCounter),
        keyPath: formatKeyPath(keyPath),
      });
    }
  };
  visit(root);
}

// compose-go reads `mode: 0440` as octal, as YAML 1.1 did; the core schema would read 440.
const legacyOctal: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  format: 'OCT',
  test: /^0[0-7]+$/,
  resolve: (source) => Number.parseInt(source, 8),
  identify: () => false,
};

function nearestLine(lines: Map<string, number>, keyPath: KeyPath): number | undefined {
  for (let n = keyPath.length; n >= 0; n--) {
    const line = lines.get(formatKeyPath(keyPath.slice(0, n)));
    if (line !== undefined) return line;
  }
  return undefined;
}

// Interpolation yields strings; like compose-go, turn them back into the type the schema expects
// for the keys that hold numbers or booleans.
const INTEGER_KEYS = new Set([
  'replicas',
  'retries',
  'scale',
  'target',
  'pids_limit',
  'cpu_count',
  'cpu_percent',
  'cpu_shares',
  'cpu_quota',
  'cpu_period',
  'mem_swappiness',
  'oom_score_adj',
  'parallelism',
  'max_attempts',
  'max_replicas_per_node',
]);
const BOOLEAN_KEYS = new Set([
  'read_only',
  'privileged',
  'tty',
  'stdin_open',
  'init',
  'external',
  'attachable',
  'internal',
  'enable_ipv6',
  'required',
  'disable',
  'oom_kill_disable',
]);

function castInterpolated(keyPath: KeyPath, value: string): unknown {
  const key = keyPath.at(-1);
  if (typeof key !== 'string') return value;
  if (INTEGER_KEYS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_KEYS.has(key) && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}
