// The /scale subresource of deployments, replicasets, statefulsets and replicationcontrollers,
// served as autoscaling/v1 Scale (status.selector as a string, as kubectl's scale client reads).

import type { V1LabelSelector, V1Scale } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors/labelSelector';
import type { KubeObject } from '../../registry/strategy';
import { decodeObject, decodePatchBody, mediaTypeOf, readBody } from '../http/requestBody';
import { sendJson } from '../http/respond';
import { applyJsonPatch } from '../patch/jsonPatch';
import { applyMergePatch } from '../patch/mergePatch';
import { PatchError } from '../patch/patchError';
import { applyStrategicMergePatch } from '../patch/strategicMergePatch';
import { groupResource } from '../rest/restContext';
import { updateObject } from '../rest/updateObject';
import { badRequest, methodNotAllowed, notFound, unsupportedMediaType } from '../status';
import { type ApiRequest, isDryRun } from './apiRequest';
import { defaultManager } from './createHandler';
import { patchTypes } from './patchHandler';

interface Scalable {
  spec?: { replicas?: number; selector?: V1LabelSelector | Record<string, string> };
  status?: { replicas?: number };
}

function selectorText(selector: V1LabelSelector | Record<string, string> | undefined): string {
  if (!selector) return '';
  // ReplicationControllers select with a plain map.
  const asObject =
    'matchLabels' in selector || 'matchExpressions' in selector ? selector : { matchLabels: selector };
  return labelSelectorFromObject(asObject as V1LabelSelector).toString();
}

function toScale(obj: KubeObject): V1Scale {
  const meta = obj.metadata ?? {};
  const s = obj as Scalable;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: s.spec?.replicas ?? 0 },
    status: { replicas: s.status?.replicas ?? 0, selector: selectorText(s.spec?.selector) },
  };
}

function patchScale(scale: V1Scale, patchType: string, patch: unknown): V1Scale {
  try {
    if (patchType === 'application/json-patch+json') return applyJsonPatch(scale, patch);
    if (patchType === 'application/merge-patch+json') return applyMergePatch(scale, patch);
    return applyStrategicMergePatch(scale, patch, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  } catch (err) {
    if (err instanceof PatchError) throw badRequest(err.message);
    throw err;
  }
}

export async function scaleHandler(api: ApiRequest): Promise<void> {
  const { info, target, req } = api;
  const name = target.name ?? '';
  if (req.method === 'GET') {
    const obj = await api.rest.objects.get(info, target.namespace, name);
    if (!obj) throw notFound(groupResource(info), name);
    sendJson(api.res, 200, toScale(obj));
    return;
  }
  let desired: (live: KubeObject) => V1Scale;
  if (req.method === 'PUT') {
    const body = decodeObject(await readBody(req), mediaTypeOf(req), {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
    });
    desired = () => body as V1Scale;
  } else if (req.method === 'PATCH') {
    const patchType = mediaTypeOf(req);
    if (!patchTypes.slice(0, 3).includes(patchType))
      throw unsupportedMediaType(patchType, patchTypes.slice(0, 3));
    const patch = decodePatchBody(await readBody(req), patchType);
    desired = (live) => patchScale(toScale(live), patchType, patch);
  } else {
    throw methodNotAllowed(req.method ?? '', groupResource(info));
  }
  const result = await updateObject(
    api.rest,
    info,
    target.namespace,
    name,
    (live) => {
      const scale = desired(live);
      const replicas = scale.spec?.replicas;
      if (typeof replicas !== 'number' || replicas < 0) {
        throw badRequest(
          `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
        );
      }
      const next = structuredClone(live) as KubeObject & Scalable;
      next.spec = { ...next.spec, replicas };
      const pinned = scale.metadata?.resourceVersion;
      next.metadata = { ...next.metadata, resourceVersion: pinned || undefined };
      return next;
    },
    {
      dryRun: isDryRun(api.query),
      fieldManager: api.query.get('fieldManager') ?? defaultManager(api),
      subresource: 'scale',
    },
  );
  sendJson(api.res, 200, toScale(result.object));
}
