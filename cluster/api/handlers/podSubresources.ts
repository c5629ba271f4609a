// pods/binding (the scheduler's write), pods/eviction, and the streaming subresources, which
// answer 503 until a node agent serves them.

import type { V1Binding, V1Pod } from '@kubernetes/client-node';
import type { KubeObject } from '../../registry/strategy';
import { decodeObject, mediaTypeOf, readBody } from '../http/requestBody';
import { sendJson } from '../http/respond';
import { deleteObject } from '../rest/deleteObject';
import { groupResource } from '../rest/restContext';
import { updateObject } from '../rest/updateObject';
import { conflict, serviceUnavailable } from '../status';
import type { ApiRequest } from './apiRequest';

export async function bindingHandler(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const name = target.name ?? '';
  const binding = decodeObject(await readBody(api.req), mediaTypeOf(api.req), {
    apiVersion: 'v1',
    kind: 'Binding',
  }) as unknown as V1Binding;
  const node = binding.target?.name ?? '';
  await updateObject(api.rest, info, target.namespace, name, (live) => {
    const pod = live as V1Pod;
    if (pod.spec?.nodeName) {
      throw conflict(
        groupResource(info),
        name,
        `pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
      );
    }
    pod.spec ??= { containers: [] };
    pod.spec.nodeName = node;
    return pod as KubeObject;
  });
  sendJson(api.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

export async function evictionHandler(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const eviction = decodeObject(await readBody(api.req), mediaTypeOf(api.req), {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
  }) as { deleteOptions?: object };
  await deleteObject(api.rest, info, target.namespace, target.name ?? '', eviction.deleteOptions ?? {});
  sendJson(api.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

export async function streamingHandler(_api: ApiRequest): Promise<void> {
  throw serviceUnavailable('no node is running pods');
}
