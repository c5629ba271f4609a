// The meta.k8s.io/v1 Table shapes (apimachinery `pkg/apis/meta/v1/types.go`), which
// @kubernetes/client-node does not model.
import type { V1ObjectMeta } from '@kubernetes/client-node';

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: `string`, `integer`, `number`, `boolean` or `date`. */
  type: string;
  /** OpenAPI format; `name` marks the column kubectl treats as the object's name. */
  format: string;
  description: string;
  /** 0 shows always; 1 only with `kubectl get -o wide`. */
  priority: number;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: V1ObjectMeta;
}

export interface TableRow {
  cells: unknown[];
  /** Omitted when the request asked for `includeObject=None`. */
  object?: object;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  /** Omitted for watch events after the first, as the API server does with `NoHeaders`. */
  columnDefinitions?: TableColumnDefinition[];
  rows: TableRow[];
}

/** How one kind is printed: its columns, and a row's cells in the same order (wide columns included). */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(obj: never, now: Date): unknown[];
}
