// The cluster's default StorageClass, `standard`, created at start when absent (as kind ships
// one): local-path volumes on the node of the claim's first pod, deleted with their claim.
// Deleting or editing it afterwards is the user's choice; it is not put back until the next start.

import type { V1StorageClass } from '@kubernetes/client-node';
import { defaultClassAnnotation } from '../../api/rest/defaultStorageClass';
import { isApiError } from '../../api/status';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { localPathProvisioner } from './localPathVolume';

export const defaultStorageClass: V1StorageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { [defaultClassAnnotation]: 'true' } },
  provisioner: localPathProvisioner,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

export const defaultStorageClassController: ControllerFactory = (ctx) => {
  const classes = ctx.client.resource(resources.storageClasses);
  const controller = queueController({
    name: 'default-storageclass',
    log: ctx.log,
    reconcile: async (name) => {
      if (await classes.get(undefined, name)) return;
      try {
        await classes.create(structuredClone(defaultStorageClass));
      } catch (err) {
        if (!isApiError(err) || err.code !== 409) throw err;
      }
    },
  });
  return {
    name: controller.name,
    run() {
      controller.queue.add(defaultStorageClass.metadata?.name ?? '');
      controller.run();
    },
    stop() {
      controller.stop();
    },
  };
};
