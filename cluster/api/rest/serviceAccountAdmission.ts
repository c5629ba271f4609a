// The ServiceAccount admission step for new pods, as Kubernetes' plugin runs it: the pod's
// ServiceAccount (already defaulted to `default`) must exist, else 403 Forbidden; then the token
// volume is mounted unless automounting is off. The `default` account is looked up a few times
// because its controller creates it just after the namespace.
// https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount

import type { V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import { builtinCatalog } from '../../registry/builtinResources';
import type { ResourceInfo } from '../../registry/resourceCatalog';
import {
  mountServiceAccountToken,
  shouldAutomountToken,
} from '../../registry/strategies/serviceAccountTokenVolume';
import type { KubeObject } from '../../registry/strategy';
import { forbidden } from '../status';
import type { RestContext } from './restContext';

const serviceAccounts = builtinCatalog.lookup('', 'v1', 'serviceaccounts') as ResourceInfo;
const defaultAccount = 'default';
/** Kubernetes: 10 attempts for `default`, 100-200 ms apart. */
const defaultAccountAttempts = 10;
const retryDelayMs = () => 100 + Math.floor(Math.random() * 100);

async function findServiceAccount(
  ctx: RestContext,
  namespace: string,
  name: string,
): Promise<V1ServiceAccount | undefined> {
  const attempts = name === defaultAccount ? defaultAccountAttempts : 1;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs()));
    const sa = await ctx.objects.get(serviceAccounts, namespace, name);
    if (sa) return sa as V1ServiceAccount;
  }
  return undefined;
}

export async function admitPodServiceAccount(ctx: RestContext, obj: KubeObject): Promise<void> {
  const pod = obj as V1Pod;
  const spec = pod.spec ?? { containers: [] };
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = spec.serviceAccountName || defaultAccount;
  const sa = await findServiceAccount(ctx, namespace, name);
  if (!sa) {
    throw forbidden(
      { group: '', resource: 'pods' },
      pod.metadata?.name ?? '',
      `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
    );
  }
  if (shouldAutomountToken(spec, sa)) mountServiceAccountToken(spec);
  pod.spec = spec;
}
