// Custom resources print the columns their CustomResourceDefinition declares
// (`additionalPrinterColumns`), after apiextensions-apiserver `registry/customresource/tableconvertor`.
import type { V1CustomResourceColumnDefinition, V1ObjectMeta } from '@kubernetes/client-node';
import { column, nameColumn, since, timeOf } from './cellFormat';
import { compileJsonPath } from './jsonPath';
import type { Printer } from './tableTypes';

/** What a CRD version without additionalPrinterColumns is defaulted to. */
export const defaultPrinterColumns: V1CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/** `string` columns print the value as text: objects and arrays as JSON, like JSONPath output. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function cell(type: string, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return asText(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return timeOf(value) ? since(value, now) : '<invalid>';
    default:
      return null;
  }
}

/** A printer for custom resources; columns that fail to compile print empty cells, not errors. */
export function customResourcePrinter(
  columns: V1CustomResourceColumnDefinition[] = defaultPrinterColumns,
): Printer {
  const paths = columns.map((c) => {
    try {
      return compileJsonPath(c.jsonPath);
    } catch {
      return () => [];
    }
  });
  return {
    columns: [
      nameColumn,
      ...columns.map((c) =>
        column(
          c.name,
          c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          {
            type: c.type,
            format: c.format ?? '',
            priority: c.priority ?? 0,
          },
        ),
      ),
    ],
    cells: (obj: { metadata?: V1ObjectMeta }, now: Date) => [
      obj.metadata?.name ?? '',
      // Only the first match is shown, as Kubernetes does.
      ...columns.map((c, i) => cell(c.type, paths[i]?.(obj)[0], now)),
    ],
  };
}
