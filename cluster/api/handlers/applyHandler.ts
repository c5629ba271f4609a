// Server-side apply (PATCH with application/apply-patch+yaml): merge the applied configuration
// with field ownership, 409 on conflicts unless force, and create the object when absent.

import { apiVersionOf } from '../../registry/resourceCatalog';
import type { KubeObject } from '../../registry/strategy';
import { type ApplyConflict, serverSideApply } from '../patch/serverSideApply';
import { createObject } from '../rest/createObject';
import { groupResource } from '../rest/restContext';
import { updateObject } from '../rest/updateObject';
import { applyConflict, badRequest } from '../status';
import { type ApiRequest, isDryRun, replyObject } from './apiRequest';
import { checkSchema } from './decodeWrite';

function conflictError(api: ApiRequest, conflicts: ApplyConflict[]) {
  const apiVersion = apiVersionOf(api.info);
  const managers = [...new Set(conflicts.map((c) => c.manager))];
  const lines = managers.map((m) => {
    const fields = conflicts.filter((c) => c.manager === m).map((c) => c.field);
    return fields.length === 1
      ? `conflict with "${m}" using ${apiVersion}: ${fields[0]}`
      : `conflicts with "${m}" using ${apiVersion}:\n${fields.map((f) => `- ${f}`).join('\n')}`;
  });
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  const message = `Apply failed with ${count}: ${lines.join('\n')}`;
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with "${c.manager}" using ${apiVersion}`,
    field: c.field,
  }));
  return applyConflict(groupResource(api.info), api.target.name ?? '', message, causes);
}

export async function applyHandler(api: ApiRequest, patch: unknown): Promise<void> {
  const { info, target, query } = api;
  const manager = query.get('fieldManager');
  if (!manager)
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw badRequest('apply patch must be an object');
  const applied = patch as KubeObject;
  if (applied.apiVersion !== apiVersionOf(info) || applied.kind !== info.kind) {
    throw badRequest(
      `the API version and kind in the data (${applied.apiVersion}, Kind=${applied.kind}) do not match the request (${apiVersionOf(info)}, Kind=${info.kind})`,
    );
  }
  if (applied.metadata?.name && applied.metadata.name !== target.name) {
    throw badRequest(
      `the name of the object (${applied.metadata.name}) does not match the name on the URL (${target.name})`,
    );
  }
  const warnings = checkSchema(api, applied);
  const options = {
    manager,
    force: query.get('force') === 'true',
    gvk: { group: info.group, version: info.version, kind: info.kind },
    apiVersion: apiVersionOf(info),
    now: api.rest.now(),
    ...(target.subresource ? { subresource: target.subresource } : {}),
  };
  const dryRun = isDryRun(query);
  const live = await api.rest.objects.get(info, target.namespace, target.name ?? '');
  if (!live && !target.subresource) {
    const result = serverSideApply(
      undefined,
      { ...applied, metadata: { ...applied.metadata, name: target.name } },
      options,
    );
    const created = await createObject(api.rest, info, target.namespace, result.object as KubeObject, {
      dryRun,
    });
    replyObject(api, 201, created, warnings);
    return;
  }
  const updated = await updateObject(
    api.rest,
    info,
    target.namespace,
    target.name ?? '',
    (current) => {
      const result = serverSideApply(current, applied, options);
      if (result.conflicts.length > 0) throw conflictError(api, result.conflicts);
      return result.object as KubeObject;
    },
    { dryRun, ...(target.subresource ? { subresource: target.subresource } : {}) },
  );
  replyObject(api, 200, updated.object, warnings);
}
