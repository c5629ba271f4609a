// PATCH on an object or its /status: JSON patch, merge patch, strategic merge patch, and
// server-side apply (applyPatch.ts).

import type { KubeObject } from '../../registry/strategy';
import { decodePatchBody, mediaTypeOf, readBody } from '../http/requestBody';
import { applyJsonPatch } from '../patch/jsonPatch';
import { applyMergePatch } from '../patch/mergePatch';
import { PatchError } from '../patch/patchError';
import { applyStrategicMergePatch } from '../patch/strategicMergePatch';
import { updateObject } from '../rest/updateObject';
import { badRequest, unsupportedMediaType } from '../status';
import { type ApiRequest, isDryRun, replyObject } from './apiRequest';
import { applyHandler } from './applyHandler';
import { defaultManager } from './createHandler';
import { checkSchema } from './decodeWrite';

export const patchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** Applies a non-apply patch document to the live object. */
function patchObject(api: ApiRequest, live: KubeObject, patchType: string, patch: unknown): KubeObject {
  const { info } = api;
  try {
    if (patchType === 'application/json-patch+json') return applyJsonPatch(live, patch);
    if (patchType === 'application/merge-patch+json') return applyMergePatch(live, patch);
    return applyStrategicMergePatch(live, patch, {
      group: info.group,
      version: info.version,
      kind: info.kind,
    });
  } catch (err) {
    if (err instanceof PatchError) throw badRequest(err.message);
    throw err;
  }
}

export async function patchHandler(api: ApiRequest): Promise<void> {
  const patchType = mediaTypeOf(api.req);
  if (!patchTypes.includes(patchType)) throw unsupportedMediaType(patchType, patchTypes);
  const patch = decodePatchBody(await readBody(api.req), patchType);
  if (patchType === 'application/apply-patch+yaml') {
    await applyHandler(api, patch);
    return;
  }
  const { info, target } = api;
  let warnings: string[] = [];
  const result = await updateObject(
    api.rest,
    info,
    target.namespace,
    target.name ?? '',
    (live) => {
      const patched = patchObject(api, live, patchType, patch);
      patched.apiVersion = live.apiVersion;
      patched.kind = live.kind;
      warnings = checkSchema(api, patched);
      return patched;
    },
    {
      dryRun: isDryRun(api.query),
      fieldManager: api.query.get('fieldManager') ?? defaultManager(api),
      ...(target.subresource ? { subresource: target.subresource } : {}),
    },
  );
  replyObject(api, 200, result.object, warnings);
}
