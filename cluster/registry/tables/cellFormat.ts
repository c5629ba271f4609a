// Formatting shared by the printers, matching the helpers in Kubernetes' printers.go and
// apimachinery (`labels.FormatLabels`, `metav1.FormatLabelSelector`).
import type { V1Container, V1LabelSelector } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../selectors/labelSelector';
import { humanDuration } from './humanDuration';
import type { TableColumnDefinition } from './tableTypes';

/** Stored objects carry RFC 3339 strings; client-node models type them as Date. Accept both. */
export function timeOf(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Age of a timestamp as the AGE column shows it; `<unknown>` when unset. */
export function since(value: unknown, now: Date): string {
  const t = timeOf(value);
  return t ? humanDuration(now.getTime() - t.getTime()) : '<unknown>';
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels?.[k]}`).join(',');
}

/** `<none>` for missing or empty selectors, `<error>` for invalid ones. */
export function formatLabelSelector(sel: V1LabelSelector | null | undefined): string {
  try {
    return labelSelectorFromObject(sel).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/** Container names and images, each comma-joined, for the wide CONTAINERS and IMAGES columns. */
export function layoutContainers(containers: V1Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Joins up to `max` items and counts the rest, as Kubernetes' "a,b,c + 2 more..." does. */
export function listWithMore(items: string[], max: number, total = items.length, empty = '<unset>'): string {
  const shown = items.slice(0, max).join(',');
  if (total > max) return `${shown} + ${total - max} more...`;
  return shown === '' ? empty : shown;
}

interface ColumnOptions {
  type?: string;
  format?: string;
  priority?: number;
}

export function column(name: string, description: string, opts: ColumnOptions = {}): TableColumnDefinition {
  return {
    name,
    type: opts.type ?? 'string',
    format: opts.format ?? '',
    description,
    priority: opts.priority ?? 0,
  };
}

export const nameColumn = column(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  { format: 'name' },
);

const creationTimestampDoc =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const ageColumn = column('Age', creationTimestampDoc);

/** The generic API server's second column for kinds without a printer. */
export const createdAtColumn = column('Created At', creationTimestampDoc, { type: 'date' });

export const wideContainerColumns = [
  column('Containers', 'Names of each container in the template.', { priority: 1 }),
  column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
];
