// Starts a set of controllers on shared informers, as kube-controller-manager does: every
// controller registers its handlers first, the informers list once, then the workers start.

import type { RestContext } from '../../api/rest/restContext';
import type { Logger } from '../../log';
import { type Clock, systemClock } from './clock';
import { ClusterClient } from './clusterClient';
import type { ControllerContext, ControllerFactory } from './controllerContext';
import { createEventRecorder, type EventRecorder } from './eventRecorder';
import { stripManagedFields } from './informer';
import type { Controller } from './queueController';
import { SharedInformers } from './sharedInformers';

export interface ControllerManagerOptions {
  log: Logger;
  clock?: Clock;
  /** Informer resync period; default 5 minutes. */
  resyncMs?: number;
}

export interface ControllerManager {
  readonly context: ControllerContext;
  readonly controllers: readonly Controller[];
  stop(): void;
}

const defaultResyncMs = 5 * 60_000;

export function createControllerContext(
  rest: RestContext,
  options: ControllerManagerOptions,
): ControllerContext {
  const client = new ClusterClient(rest, 'kube-controller-manager');
  const clock = options.clock ?? systemClock;
  const recorders = new Map<string, EventRecorder>();
  return {
    client,
    informers: new SharedInformers(client, {
      resyncMs: options.resyncMs ?? defaultResyncMs,
      transform: stripManagedFields,
      log: options.log,
    }),
    clock,
    log: options.log,
    recorder(component) {
      let recorder = recorders.get(component);
      if (!recorder) {
        recorder = createEventRecorder(client, component, clock, options.log);
        recorders.set(component, recorder);
      }
      return recorder;
    },
  };
}

export async function startControllerManager(
  context: ControllerContext,
  factories: readonly ControllerFactory[],
): Promise<ControllerManager> {
  const controllers = factories.map((factory) => factory(context));
  try {
    await context.informers.start();
  } catch (err) {
    context.informers.stop();
    throw err;
  }
  for (const controller of controllers) controller.run();
  context.log.info('controllers started', { controllers: controllers.map((c) => c.name) });
  return {
    context,
    controllers,
    stop() {
      for (const controller of controllers) controller.stop();
      context.informers.stop();
    },
  };
}
