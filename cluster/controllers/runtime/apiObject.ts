// The shape every @kubernetes/client-node model shares, which is all the runtime needs to know.

import type { V1ObjectMeta } from '@kubernetes/client-node';

export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
}
