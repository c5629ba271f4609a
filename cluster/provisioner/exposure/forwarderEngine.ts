import type Docker from 'dockerode';
import { labelKeys } from '../labels';
import { ignoreIf, isNotFound } from '../providers/engineErrors';
import {
  type ForwarderContainer,
  forwarderContainerOptions,
  forwarderRole,
  toForwarderContainer,
} from './forwarderContainer';
import type { ForwarderPlan } from './planExposure';

// The engine operations host exposure needs, so the sync can be tested without Docker.

export interface ForwarderEngine {
  list(cluster: string): Promise<ForwarderContainer[]>;
  /** Creates and starts the forwarder; on failure nothing is left behind and the engine's error is thrown. */
  create(plan: ForwarderPlan): Promise<void>;
  remove(container: ForwarderContainer): Promise<void>;
}

export function dockerForwarderEngine(docker: Docker): ForwarderEngine {
  return {
    async list(cluster) {
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`${labelKeys.cluster}=${cluster}`, `${labelKeys.role}=${forwarderRole}`] },
      });
      return containers.map(toForwarderContainer);
    },

    async create(plan) {
      const container = await docker.createContainer(forwarderContainerOptions(plan));
      try {
        await container.start();
      } catch (err) {
        // A port already bound on the host fails here; the created container must not keep the name.
        await container.remove({ force: true }).catch(ignoreIf(isNotFound));
        throw err;
      }
    },

    async remove(container) {
      await docker.getContainer(container.id).remove({ force: true }).catch(ignoreIf(isNotFound));
    },
  };
}
