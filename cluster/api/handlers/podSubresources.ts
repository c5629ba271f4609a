// pods/binding (the scheduler's write), pods/eviction, and the streaming subresources (log, exec,
// attach, portforward), which are proxied to the pod's kubelet (see ../streaming/).

import type { V1Binding } from '@kubernetes/client-node';
import { admitEviction } from '../../controllers/disruption/evictionAdmission';
import { decodeObject, mediaTypeOf, readBody } from '../http/requestBody';
import { sendJson } from '../http/respond';
import { bindPod } from '../rest/bindPod';
import { deleteObject } from '../rest/deleteObject';
import { routeNotFound } from '../status';
import { relayExec } from '../streaming/execRelay';
import { proxyLogs } from '../streaming/logProxy';
import { proxyPortForward } from '../streaming/portForwardProxy';
import type { ApiRequest } from './apiRequest';

export async function bindingHandler(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const name = target.name ?? '';
  const binding = decodeObject(await readBody(api.req), mediaTypeOf(api.req), {
    apiVersion: 'v1',
    kind: 'Binding',
  }) as unknown as V1Binding;
  await bindPod(api.rest, info, target.namespace ?? 'default', name, binding.target?.name ?? '');
  sendJson(api.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

export async function evictionHandler(api: ApiRequest): Promise<void> {
  const { info, target } = api;
  const eviction = decodeObject(await readBody(api.req), mediaTypeOf(api.req), {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
  }) as { deleteOptions?: object };
  await admitEviction(api.rest, target.namespace ?? 'default', target.name ?? '');
  await deleteObject(api.rest, info, target.namespace, target.name ?? '', eviction.deleteOptions ?? {});
  sendJson(api.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

export async function streamingHandler(api: ApiRequest): Promise<void> {
  switch (api.target.subresource) {
    case 'log':
      return proxyLogs(api);
    case 'exec':
    case 'attach':
      return relayExec(api, api.target.subresource);
    case 'portforward':
      return proxyPortForward(api);
    default:
      throw routeNotFound();
  }
}
