// `labelSelector` and `fieldSelector` query parameters as one object filter (400 on bad syntax
// or unsupported fields).

import type { ResourceInfo } from '../../registry/resourceCatalog';
import { parseFieldSelector } from '../../registry/selectors/fieldSelector';
import { parseLabelSelector } from '../../registry/selectors/labelSelector';
import { assertSupportedFieldSelector, selectableFields } from '../../registry/selectors/selectableFields';
import { SelectorParseError } from '../../registry/selectors/selectorParseError';
import type { KubeObject } from '../../registry/strategy';
import { badRequest } from '../status';

export interface ObjectFilter {
  matches(obj: KubeObject): boolean;
  isEverything: boolean;
  /** The name a `metadata.name=` term pins, for single-object watches. */
  exactName?: string;
}

export function objectFilter(info: ResourceInfo, query: URLSearchParams): ObjectFilter {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    assertSupportedFieldSelector(info.group, info.kind, fields);
    const filter: ObjectFilter = {
      isEverything: labels.isEverything() && fields.isEverything(),
      matches: (obj) =>
        labels.matches(obj.metadata?.labels) &&
        (fields.isEverything() || fields.matches(selectableFields(info.group, info.kind, obj))),
    };
    const exactName = fields.requiresExactMatch('metadata.name');
    if (exactName !== undefined) filter.exactName = exactName;
    return filter;
  } catch (err) {
    if (err instanceof SelectorParseError) throw badRequest(err.message);
    throw err;
  }
}
