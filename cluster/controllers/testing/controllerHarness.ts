// Controllers under test without HTTP: a memory store, the API server's verb implementations and
// built-in objects, then the given controllers on shared informers. Tests read and write through
// `ctx.client` exactly as the controllers do, and wait for conditions with `eventually`.

import { seedBuiltinObjects } from '../../api/lifecycle/builtinObjects';
import { defaultIds, type RestContext } from '../../api/rest/restContext';
import { createServiceAllocations } from '../../api/serviceAllocations';
import { nullLogger } from '../../log';
import { builtinCatalog } from '../../registry/builtinResources';
import { ObjectStore } from '../../registry/objectStore';
import { createMemoryStore } from '../../store/memoryStore';
import type { Store } from '../../store/store';
import type { Clock } from '../runtime/clock';
import type { ControllerContext, ControllerFactory } from '../runtime/controllerContext';
import {
  type ControllerManager,
  createControllerContext,
  startControllerManager,
} from '../runtime/controllerManager';

export interface ControllerHarness {
  store: Store;
  rest: RestContext;
  ctx: ControllerContext;
  manager: ControllerManager;
  stop(): Promise<void>;
}

export async function startControllerHarness(
  factories: readonly ControllerFactory[],
  options: { clock?: Clock; store?: Store } = {},
): Promise<ControllerHarness> {
  const store = options.store ?? createMemoryStore();
  const objects = new ObjectStore(store);
  const rest: RestContext = {
    objects,
    catalog: builtinCatalog,
    now: options.clock ? () => options.clock?.now() ?? new Date() : defaultIds.now,
    newUid: defaultIds.newUid,
    allocations: createServiceAllocations(objects),
  };
  await seedBuiltinObjects(rest, { ip: '127.0.0.1', port: 6443 });
  const ctx = createControllerContext(rest, {
    log: nullLogger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const manager = await startControllerManager(ctx, factories);
  return {
    store,
    rest,
    ctx,
    manager,
    async stop() {
      manager.stop();
      await store.close();
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
