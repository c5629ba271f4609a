// Queue and cache keys as client-go's MetaNamespaceKeyFunc makes them: `namespace/name`, or `name`
// for cluster-scoped objects.

import type { ApiObject } from './apiObject';

export function objectKey(obj: ApiObject): string {
  const { namespace, name = '' } = obj.metadata ?? {};
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
