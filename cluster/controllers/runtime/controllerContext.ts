// What every controller is built from: the in-process client, the shared informers, an event
// recorder, the clock and the logger.

import type { Logger } from '../../log';
import type { Clock } from './clock';
import type { ClusterClient } from './clusterClient';
import type { EventRecorder } from './eventRecorder';
import type { Controller } from './queueController';
import type { SharedInformers } from './sharedInformers';

export interface ControllerContext {
  client: ClusterClient;
  informers: SharedInformers;
  /** A recorder whose events name `component` as their source. */
  recorder(component: string): EventRecorder;
  clock: Clock;
  log: Logger;
}

/** Builds a controller: registers its informer handlers and returns it, not yet running. */
export type ControllerFactory = (ctx: ControllerContext) => Controller;
