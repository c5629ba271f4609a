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

function entryCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + entryCount(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  for (const key in value) count += 1 + entryCount((value as Record<string, unknown>)[key]);
  return count;
}

/**
 * Whether JSON `text`, which JSON.parse turned into `parsed` (unchanged since), repeats a key.
 * JSON.parse keeps one entry per key, so it does exactly when the text has more name separators
 * (`:` outside strings) than `parsed` has entries. A scan far cheaper than findDuplicateFields'
 * parse, which then runs only to name the repeats.
 */
export function jsonRepeatsKeys(text: string, parsed: unknown): boolean {
  let separators = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x3a) separators++;
  }
  return separators !== entryCount(parsed);
}
