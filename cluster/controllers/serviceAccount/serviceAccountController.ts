// The service accounts controller: every active namespace has a ServiceAccount named `default`,
// created with the namespace and re-created if deleted, as kube-controller-manager's
// serviceaccount-controller does. Terminating namespaces are left alone.
// https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts

import { isApiError } from '../../api/status';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';

const defaultServiceAccountName = 'default';

export const serviceAccountController: ControllerFactory = (ctx) => {
  const namespaces = ctx.informers.for(resources.namespaces);
  const accounts = ctx.informers.for(resources.serviceAccounts);
  const client = ctx.client.resource(resources.serviceAccounts);

  const controller = queueController({
    name: 'serviceaccount',
    log: ctx.log,
    reconcile: async (namespace) => {
      const ns = namespaces.get(undefined, namespace);
      if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
      if (accounts.get(namespace, defaultServiceAccountName)) return;
      try {
        await client.create({ metadata: { name: defaultServiceAccountName, namespace } });
      } catch (err) {
        // 409: it exists already (the cache lagged); 403: the namespace began terminating.
        if (isApiError(err) && (err.code === 409 || err.code === 403)) return;
        throw err;
      }
    },
  });

  const enqueue = (namespace: string | undefined) => {
    if (namespace) controller.queue.add(namespace);
  };
  namespaces.addHandlers({
    onAdd: (ns) => enqueue(ns.metadata?.name),
    onUpdate: (_old, ns) => enqueue(ns.metadata?.name),
  });
  accounts.addHandlers({
    onDelete: (sa) => {
      if (sa.metadata?.name === defaultServiceAccountName) enqueue(sa.metadata.namespace);
    },
  });
  return controller;
};
