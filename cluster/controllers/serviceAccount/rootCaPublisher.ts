// The root CA publisher: ConfigMap `kube-root-ca.crt` in every active namespace holds the cluster
// CA (key `ca.crt`), so pods can verify the API server through projected service account tokens.
// Re-created when deleted and restored when edited, as kube-controller-manager's
// root-ca-cert-publisher does.
// https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#root-ca-certificate-configmap

import type { V1ConfigMap } from '@kubernetes/client-node';
import { isApiError } from '../../api/status';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';

export const rootCaConfigMapName = 'kube-root-ca.crt';
const descriptionAnnotation = 'kubernetes.io/description';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

function isCurrent(cm: V1ConfigMap, caCert: string): boolean {
  const data = cm.data ?? {};
  return (
    Object.keys(data).length === 1 &&
    data['ca.crt'] === caCert &&
    cm.metadata?.annotations?.[descriptionAnnotation] === description
  );
}

/** Publishes `caCert` (PEM) to every namespace. */
export function rootCaPublisher(caCert: string): ControllerFactory {
  return (ctx) => {
    const namespaces = ctx.informers.for(resources.namespaces);
    const configMaps = ctx.informers.for(resources.configMaps);
    const client = ctx.client.resource(resources.configMaps);

    const controller = queueController({
      name: 'root-ca-cert-publisher',
      log: ctx.log,
      reconcile: async (namespace) => {
        const ns = namespaces.get(undefined, namespace);
        if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
        const cached = configMaps.get(namespace, rootCaConfigMapName);
        if (cached && isCurrent(cached, caCert)) return;
        if (!cached) {
          try {
            await client.create({
              metadata: {
                name: rootCaConfigMapName,
                namespace,
                annotations: { [descriptionAnnotation]: description },
              },
              data: { 'ca.crt': caCert },
            });
            return;
          } catch (err) {
            if (isApiError(err) && err.code === 403) return;
            if (!isApiError(err) || err.code !== 409) throw err;
          }
        }
        await client.mutate(namespace, rootCaConfigMapName, (cm) => {
          if (isCurrent(cm, caCert)) return undefined;
          cm.data = { 'ca.crt': caCert };
          cm.metadata = {
            ...cm.metadata,
            annotations: { ...cm.metadata?.annotations, [descriptionAnnotation]: description },
          };
          return cm;
        });
      },
    });

    const enqueue = (namespace: string | undefined) => {
      if (namespace) controller.queue.add(namespace);
    };
    namespaces.addHandlers({
      onAdd: (ns) => enqueue(ns.metadata?.name),
      onUpdate: (_old, ns) => enqueue(ns.metadata?.name),
    });
    const mine = (cm: V1ConfigMap) => cm.metadata?.name === rootCaConfigMapName;
    configMaps.addHandlers({
      onUpdate: (_old, cm) => {
        if (mine(cm) && !isCurrent(cm, caCert)) enqueue(cm.metadata?.namespace);
      },
      onDelete: (cm) => {
        if (mine(cm)) enqueue(cm.metadata?.namespace);
      },
    });
    return controller;
  };
}
