import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { ApplyFailure } from '../../../../main/host/clusterView/objectDetailsContract';
import type { LineProblem } from '../../../components/YamlEditor';

// Where a field the API server names is written in the YAML a person edited, so its error can be
// shown on that line. Paths come in the forms Kubernetes prints: `spec.containers[0].image`
// (validation), `metadata.labels[app.kubernetes.io/name]` (map keys), `.spec.containers[name="web"].image`
// (server-side apply conflicts) and `spec.template.spec.containers.image` (Go decoding errors,
// which name no index).

export type PathSegment = { key: string } | { index: number } | { match: Record<string, string> };

export function parseFieldPath(field: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = field.startsWith('.') ? 1 : 0;
  while (i < field.length) {
    if (field[i] === '.') {
      i++;
      continue;
    }
    if (field[i] === '[') {
      const end = field.indexOf(']', i);
      const inside = field.slice(i + 1, end < 0 ? field.length : end);
      i = end < 0 ? field.length : end + 1;
      if (/^\d+$/.test(inside)) segments.push({ index: Number(inside) });
      else {
        const pair = /^([\w.-]+)="?(.*?)"?$/.exec(inside);
        segments.push(
          pair && inside.includes('=')
            ? { match: { [pair[1] as string]: pair[2] as string } }
            : { key: inside },
        );
      }
      continue;
    }
    let end = i;
    while (end < field.length && field[end] !== '.' && field[end] !== '[') end++;
    segments.push({ key: field.slice(i, end) });
    i = end;
  }
  return segments;
}

const scalarText = (node: unknown) => (isScalar(node) ? String(node.value) : undefined);

function mapEntry(node: unknown, key: string) {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => scalarText(pair.key) === key);
}

/**
 * The 1-based line of `field` in document `document` of `yaml`. When the field is not written
 * (a required value left out), the line of its nearest written parent; undefined when not even
 * the document's first field matches.
 */
export function fieldLine(yaml: string, document: number, field: string): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseAllDocuments(yaml, { lineCounter })[document];
  if (!doc || !('contents' in doc)) return undefined;
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const segment of parseFieldPath(field)) {
    if ('key' in segment) {
      // Go decoding paths skip list indices: look into the first item that has the key.
      const owner = isSeq(node) ? node.items.find((item) => mapEntry(item, segment.key)) : node;
      const pair = mapEntry(owner, segment.key);
      if (!pair) break;
      line = lineOf(pair.key as Node);
      node = pair.value;
      continue;
    }
    if (!isSeq(node)) break;
    const item =
      'index' in segment
        ? node.items[segment.index]
        : node.items.find((it) =>
            Object.entries(segment.match).every(([k, v]) => scalarText(mapEntry(it, k)?.value) === v),
          );
    if (!item) break;
    line = lineOf(item as Node) ?? line;
    node = item;
  }
  return line;
}

/** The editor's line problems for failed applies: each cause on its field's line, syntax errors
 * on theirs. Causes whose field is not in the text are left to the list of errors. */
export function failureLines(yaml: string, failures: ApplyFailure[]): LineProblem[] {
  const problems: LineProblem[] = [];
  for (const failure of failures) {
    if (failure.line) problems.push({ line: failure.line, message: failure.message });
    for (const cause of failure.causes) {
      const line = cause.field ? fieldLine(yaml, failure.document, cause.field) : undefined;
      if (!line) continue;
      const named = !cause.field || cause.message.includes(cause.field.replace(/^\./, ''));
      problems.push({ line, message: named ? cause.message : `${cause.field}: ${cause.message}` });
    }
  }
  return problems;
}
