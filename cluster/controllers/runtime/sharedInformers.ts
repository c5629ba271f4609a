// One informer per resource, shared by every controller and the scheduler so each resource is
// listed and watched once.

import type { Logger } from '../../log';
import type { ApiObject } from './apiObject';
import type { ClusterClient } from './clusterClient';
import { Informer, type InformerOptions } from './informer';
import type { ResourceRef } from './resources';

export class SharedInformers {
  private readonly informers = new Map<string, Informer<ApiObject>>();

  constructor(
    private readonly client: ClusterClient,
    private readonly options: InformerOptions & { log?: Logger } = {},
  ) {}

  for<T extends ApiObject>(ref: ResourceRef<T>): Informer<T> {
    const key = `${ref.group}/${ref.plural}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer(this.client.resource(ref) as never, this.options);
      this.informers.set(key, informer);
    }
    return informer as unknown as Informer<T>;
  }

  /** Starts every informer asked for so far; resolves when all have listed. */
  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  stop(): void {
    for (const informer of this.informers.values()) informer.stop();
  }
}
