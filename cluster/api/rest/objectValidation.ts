// Runs the strategy's defaults/validation around a write and turns field errors into 422 Invalid.

import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../registry/fieldError';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import type { KubeObject, ResourceStrategy } from '../../registry/strategy';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../registry/validation/objectMetaValidation';
import { invalid } from '../status';
import { groupKind } from './restContext';

export function assertValid(
  info: ResourceInfo,
  strategy: ResourceStrategy,
  obj: KubeObject,
  old?: KubeObject,
): void {
  const meta = obj.metadata ?? {};
  const errs: FieldError[] = [...validateObjectMeta(meta, strategy.nameCheck, strategy.maxNameLength)];
  errs.push(...(strategy.validate?.(obj) ?? []));
  if (old) {
    errs.push(...validateObjectMetaUpdate(meta, old.metadata ?? {}));
    errs.push(...(strategy.validateUpdate?.(obj, old) ?? []));
  }
  if (errs.length > 0) throw invalid(groupKind(info), meta.name ?? meta.generateName ?? '', errs);
}

/** Whether anything outside metadata and status changed: what bumps metadata.generation. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  const { metadata: _om, status: _os, apiVersion: _oa, kind: _ok, ...oldRest } = old;
  return !isDeepStrictEqual(rest, oldRest);
}
