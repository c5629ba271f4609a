// The tokens controller: a Secret of type `kubernetes.io/service-account-token` annotated with
// `kubernetes.io/service-account.name` gets a non-expiring legacy token (`data.token`), the cluster
// CA (`data["ca.crt"]`), its namespace (`data.namespace`) and the ServiceAccount's uid annotation.
// A token Secret whose ServiceAccount is gone (or was re-created with another uid) is deleted, as
// kube-controller-manager's TokensController does.
// https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets

import type { V1Secret, V1ServiceAccount } from '@kubernetes/client-node';
import { legacyTokenClaims } from '../../api/serviceAccountTokens/tokenClaims';
import type { JwtSigner } from '../../pki';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey, splitKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';

export const serviceAccountTokenType = 'kubernetes.io/service-account-token';
export const serviceAccountNameAnnotation = 'kubernetes.io/service-account.name';
export const serviceAccountUidAnnotation = 'kubernetes.io/service-account.uid';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const isTokenSecret = (secret: V1Secret) =>
  secret.type === serviceAccountTokenType && !!secret.metadata?.annotations?.[serviceAccountNameAnnotation];

/** What the Secret lacks: the uid annotation, the token, the CA or the namespace. */
export function needsFilling(secret: V1Secret, sa: V1ServiceAccount, caCert: string): boolean {
  const data = secret.data ?? {};
  return (
    secret.metadata?.annotations?.[serviceAccountUidAnnotation] !== sa.metadata?.uid ||
    !data.token ||
    data['ca.crt'] !== base64(caCert) ||
    data.namespace !== base64(secret.metadata?.namespace ?? '')
  );
}

export function serviceAccountTokensController(options: {
  signer: JwtSigner;
  caCert: string;
}): ControllerFactory {
  const { signer, caCert } = options;
  return (ctx) => {
    const secrets = ctx.informers.for(resources.secrets);
    const accounts = ctx.informers.for(resources.serviceAccounts);
    const secretClient = ctx.client.resource(resources.secrets);
    const accountClient = ctx.client.resource(resources.serviceAccounts);

    const controller = queueController({
      name: 'serviceaccount-token',
      log: ctx.log,
      reconcile: async (key) => {
        const { namespace = '', name } = splitKey(key);
        const secret = secrets.get(namespace, name);
        if (!secret || !isTokenSecret(secret) || secret.metadata?.deletionTimestamp) return;
        const saName = secret.metadata?.annotations?.[serviceAccountNameAnnotation] ?? '';
        // The cache may lag a just-created ServiceAccount; ask the store before deleting anything.
        const sa = accounts.get(namespace, saName) ?? (await accountClient.get(namespace, saName));
        const wantedUid = secret.metadata?.annotations?.[serviceAccountUidAnnotation];
        if (!sa || (wantedUid && wantedUid !== sa.metadata?.uid)) {
          await secretClient.delete(namespace, name);
          return;
        }
        if (!needsFilling(secret, sa, caCert)) return;
        const saRef = { name: saName, uid: sa.metadata?.uid ?? '' };
        const token = secret.data?.token
          ? undefined
          : await signer.sign(legacyTokenClaims({ namespace, secretName: name, serviceAccount: saRef }));
        await secretClient.mutate(namespace, name, (live) => {
          if (!needsFilling(live, sa, caCert)) return undefined;
          live.metadata = {
            ...live.metadata,
            annotations: { ...live.metadata?.annotations, [serviceAccountUidAnnotation]: saRef.uid },
          };
          live.data = { ...live.data, 'ca.crt': base64(caCert), namespace: base64(namespace) };
          // A token written meanwhile is kept; a still-missing one is filled on the next pass.
          if (!live.data.token && token) live.data.token = base64(token);
          return live;
        });
      },
    });

    const enqueue = (secret: V1Secret) => {
      if (isTokenSecret(secret)) controller.queue.add(objectKey(secret));
    };
    secrets.addHandlers({ onAdd: enqueue, onUpdate: (_old, secret) => enqueue(secret) });
    const enqueueTokensOf = (sa: V1ServiceAccount) => {
      for (const secret of secrets.list(sa.metadata?.namespace)) {
        if (secret.metadata?.annotations?.[serviceAccountNameAnnotation] === sa.metadata?.name)
          enqueue(secret);
      }
    };
    accounts.addHandlers({ onAdd: enqueueTokensOf, onDelete: enqueueTokensOf });
    return controller;
  };
}
