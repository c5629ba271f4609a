import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '@kubernetes/client-node';

// Compares two sets of Kubernetes objects the way kompose's harness does with
// `dyff between --ignore-order-changes`: objects matched by apiVersion/kind/namespace/name,
// map key order and list order ignored, values equal, no extra keys.

export function objectKey(object: KubernetesObject): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/** Human-readable differences; empty when the sets are equal. */
export function diffManifests(expected: KubernetesObject[], actual: KubernetesObject[]): string[] {
  const differences: string[] = [];
  const byKey = (objects: KubernetesObject[]) => new Map(objects.map((o) => [objectKey(o), o]));
  const want = byKey(expected);
  const got = byKey(actual);
  for (const key of want.keys()) if (!got.has(key)) differences.push(`missing object ${key}`);
  for (const key of got.keys()) if (!want.has(key)) differences.push(`unexpected object ${key}`);
  for (const [key, object] of want) {
    const other = got.get(key);
    if (other) diffValue(object, other, key, differences);
  }
  return differences;
}

function diffValue(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (!sameMultiset(expected, actual)) {
      out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(key in actual)) out.push(`${path}.${key}: missing (expected ${JSON.stringify(expected[key])})`);
      else if (!(key in expected)) out.push(`${path}.${key}: unexpected ${JSON.stringify(actual[key])}`);
      else diffValue(expected[key], actual[key], `${path}.${key}`, out);
    }
    return;
  }
  if (!isDeepStrictEqual(expected, actual)) {
    out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function sameUnordered(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return sameMultiset(a, b);
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameUnordered(a[k], b[k]));
  }
  return isDeepStrictEqual(a, b);
}

function sameMultiset(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  const unused = [...b];
  return a.every((item) => {
    const at = unused.findIndex((candidate) => sameUnordered(item, candidate));
    if (at < 0) return false;
    unused.splice(at, 1);
    return true;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
