import type { KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';

// kompose's output format: keys sorted, null/empty maps/empty lists pruned, each object as a
// `---` document (YAML) or an indented JSON file named `<name>-<kind>.json`.

export function pruneAndSort(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map(pruneAndSort)
      .filter((item) => item !== undefined && !(isPlainObject(item) && Object.keys(item).length === 0));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = pruneAndSort(value[key]);
      if (child === undefined || child === null) continue;
      if (Array.isArray(child) && child.length === 0) continue;
      if (isPlainObject(child) && Object.keys(child).length === 0) continue;
      out[key] = child;
    }
    return out;
  }
  return value ?? undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toYaml(object: KubernetesObject, indent = 2): string {
  return stringify(pruneAndSort(object), {
    indent,
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
    // No document ever carries tags or directives; skipping them spares a walk of every node.
    directives: false,
  });
}

/** The `--stdout` / single-file stream. */
export function toYamlStream(objects: KubernetesObject[], indent = 2): string {
  return objects.map((object) => `---\n${toYaml(object, indent)}\n`).join('');
}

export function toJson(object: KubernetesObject): string {
  return `${JSON.stringify(pruneAndSort(object), null, 2)}\n`;
}

/** File name kompose gives an object in an output folder. */
export function objectFileName(object: KubernetesObject, format: 'yaml' | 'json'): string {
  return `${object.metadata?.name ?? 'object'}-${(object.kind ?? 'object').toLowerCase()}.${format}`;
}
