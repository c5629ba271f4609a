// The controllers the control plane runs, in the order they register with the shared informers.

import { scheduler } from '../scheduler/scheduler';
import { cronJobController } from './cronJob/cronJobController';
import { daemonSetController } from './daemonSet/daemonSetController';
import { deploymentController } from './deployment/deploymentController';
import { disruptionController } from './disruption/disruptionController';
import { endpointSliceController } from './endpointSlice/endpointSliceController';
import { endpointsController } from './endpoints/endpointsController';
import { garbageCollectorController } from './garbageCollector/garbageCollector';
import { jobController } from './job/jobController';
import { ttlAfterFinishedController } from './job/ttlAfterFinishedController';
import { kubeDnsEndpointsController } from './kubeDns/kubeDnsEndpointsController';
import { namespaceController } from './namespace/namespaceController';
import { nodeLifecycleController } from './nodeLifecycle/nodeLifecycleController';
import { replicaSetController } from './replicaSet/replicaSetController';
import type { ControllerFactory } from './runtime/controllerContext';
import { serviceAccountController } from './serviceAccount/serviceAccountController';
import { statefulSetController } from './statefulSet/statefulSetController';
import { defaultStorageClassController } from './volume/defaultStorageClass';
import { persistentVolumeController } from './volume/persistentVolumeController';
import { pvcProtectionController } from './volume/pvcProtectionController';
import { pvProtectionController } from './volume/pvProtectionController';

export const builtinControllers: ControllerFactory[] = [
  replicaSetController,
  deploymentController,
  statefulSetController,
  daemonSetController,
  jobController,
  cronJobController,
  ttlAfterFinishedController,
  garbageCollectorController,
  namespaceController(),
  serviceAccountController,
  endpointsController,
  endpointSliceController,
  kubeDnsEndpointsController,
  defaultStorageClassController,
  persistentVolumeController,
  pvcProtectionController,
  pvProtectionController,
  disruptionController,
  nodeLifecycleController,
  scheduler,
];
