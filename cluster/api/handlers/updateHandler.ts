// PUT on an object or its /status: unconditional without resourceVersion, 409 when stale.

import { strategyFor } from '../../registry/strategies';
import { createObject } from '../rest/createObject';
import { updateObject } from '../rest/updateObject';
import { badRequest } from '../status';
import { type ApiRequest, isDryRun, replyObject } from './apiRequest';
import { defaultManager } from './createHandler';
import { decodeWrite } from './decodeWrite';

export async function updateHandler(api: ApiRequest): Promise<void> {
  const { object, warnings } = await decodeWrite(api);
  const { info, target } = api;
  const fieldManager = api.query.get('fieldManager') ?? defaultManager(api);
  const dryRun = isDryRun(api.query);
  if (!target.subresource && strategyFor(info).allowCreateOnUpdate) {
    const live = await api.rest.objects.get(info, target.namespace, target.name ?? '');
    if (!live) {
      if (object.metadata?.name && object.metadata.name !== target.name) {
        throw badRequest(
          `the name of the object (${object.metadata.name}) does not match the name on the URL (${target.name})`,
        );
      }
      object.metadata = { ...object.metadata, name: target.name };
      const created = await createObject(api.rest, info, target.namespace, object, { dryRun, fieldManager });
      replyObject(api, 201, created, warnings);
      return;
    }
  }
  const result = await updateObject(api.rest, info, target.namespace, target.name ?? '', () => object, {
    dryRun,
    fieldManager,
    ...(target.subresource ? { subresource: target.subresource } : {}),
  });
  replyObject(api, 200, result.object, warnings);
}
