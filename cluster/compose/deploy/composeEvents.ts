// What `compose up` and `down` report while they run: typed events per service, separate from logs.
// Each `running` event of a (service, phase) is later followed by exactly one `done` or `failed`;
// `running` may repeat in between with a newer message (rollout counts, build output).

export type ComposePhase = 'build' | 'apply' | 'rollout' | 'remove';

export interface ComposeProgress {
  opId: string;
  project: string;
  /** The compose service, or `shared` for objects several services use. */
  service: string;
  phase: ComposePhase;
  state: 'running' | 'done' | 'failed';
  message?: string;
  error?: string;
}

export type ComposeProgressListener = (progress: ComposeProgress) => void;

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ComposeServiceResult {
  service: string;
  /** `applied` when rollout was not waited for. */
  state: 'ready' | 'applied' | 'failed';
  message: string;
  objects: ObjectRef[];
  /** How to reach its Services: `ClusterIP:port`, `localhost:<port>` for NodePort/LoadBalancer. */
  addresses: string[];
}

export interface ComposeUpResult {
  project: string;
  namespace: string;
  services: ComposeServiceResult[];
}

let counter = 0;
export function newComposeOpId(): string {
  counter += 1;
  return `compose-${Date.now().toString(36)}-${counter}`;
}
