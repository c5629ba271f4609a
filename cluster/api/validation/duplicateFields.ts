// Finds repeated keys in a JSON (or YAML) request body, which fieldValidation=Strict rejects as
// `strict decoding error: duplicate field "spec.replicas"` and Warn reports as warnings.
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';

/** Paths of duplicated fields, e.g. `spec.replicas`, `spec.template.spec.containers[0].name`. */
export function findDuplicateFields(text: string): string[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  const found: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, `${path}[${i}]`);
    }
    if (!isMap(node)) return;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : String(pair.key);
      const childPath = path ? `${path}.${String(key)}` : String(key);
      if (seen.has(key)) found.push(childPath);
      seen.add(key);
      walk(pair.value as Node, childPath);
    }
  };
  walk(doc.contents, '');
  return found;
}
