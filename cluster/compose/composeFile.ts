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
}

/** `services.web.ports[0]`: the way errors name a key. */
export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

export function parseComposeFile(path: string, text: string, options: ParseOptions): ComposeFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    merge: true,
    prettyErrors: false,
    customTags: (tags) => [legacyOctal, ...tags],
  });
  const [error] = doc.errors;
  if (error) {
    throw new ComposeError(error.message.split('\n')[0] ?? error.message, {
      file: path,
      line: lineCounter.linePos(error.pos[0]).line,
    });
  }
  const lines = new Map<string, number>();
  const warnings: LoadWarning[] = [];
  const lineAt = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  const walk = (node: unknown, keyPath: (string | number)[]): void => {
    if (isAlias(node)) return;
    const line = lineAt(node as Node);
    if (line !== undefined) lines.set(formatKeyPath(keyPath), line);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyLine = lineAt(pair.key as Node);
        const childPath = [...keyPath, key];
        walk(pair.value, childPath);
        if (keyLine !== undefined) lines.set(formatKeyPath(childPath), keyLine);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, [...keyPath, index]);
      });
    } else if (isScalar(node) && options.interpolate && typeof node.value === 'string') {
      interpolateScalar(node, keyPath, line);
    }
  };

  const interpolateScalar = (node: Scalar, keyPath: (string | number)[], line: number | undefined) => {
    const original = node.value as string;
    if (!original.includes('$')) return;
    try {
      const { value, missing } = interpolate(original, options.lookup);
      for (const name of missing) {
        warnings.push({
          file: path,
          line,
          keyPath: formatKeyPath(keyPath),
          message: `The "${name}" variable is not set. Defaulting to a blank string.`,
        });
      }
      node.value = node.type === Scalar.PLAIN ? castInterpolated(keyPath, value) : value;
    } catch (err) {
      if (!(err instanceof InterpolationError)) throw err;
      throw new ComposeError(err.message, { file: path, line, keyPath: formatKeyPath(keyPath) });
    }
  };

  walk(doc.contents, []);
  const data = doc.toJS({ maxAliasCount: -1 }) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ComposeError('top-level object must be a mapping', { file: path, line: 1 });
  }
  return {
    path,
    data: data as Record<string, unknown>,
    lineOf: (keyPath) => nearestLine(lines, keyPath),
    warnings,
  };
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
