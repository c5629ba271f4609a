// ClusterIPs from 10.96.0.0/12 and NodePorts from 30000-32767, picked at random among the free
// ones (as kube-apiserver's allocators do). 10.96.0.1 (kubernetes) and 10.96.0.10 (DNS) are
// reserved for their well-known Services.

import type { V1Service } from '@kubernetes/client-node';
import { builtinCatalog } from '../registry/builtinResources';
import type { ObjectStore } from '../registry/objectStore';
import type { ResourceInfo } from '../registry/resourceCatalog';
import type { StrategyContext } from '../registry/strategy';
import { internalError } from './status';

const services = builtinCatalog.lookup('', 'v1', 'services') as ResourceInfo;
const serviceBase = (10 << 24) | (96 << 16);
const serviceRangeSize = 1 << 20;
/** Offsets below this are kept for well-known addresses. */
const firstDynamicOffset = 16;
const nodePortMin = 30000;
const nodePortMax = 32767;

function ipOf(offset: number): string {
  const n = serviceBase + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function createServiceAllocations(objects: ObjectStore): Omit<StrategyContext, 'now'> {
  async function allServices(): Promise<V1Service[]> {
    return (await objects.list(services, undefined)).items as V1Service[];
  }
  return {
    async allocateClusterIP() {
      const used = new Set(
        (await allServices()).flatMap((s) => s.spec?.clusterIPs ?? [s.spec?.clusterIP ?? '']),
      );
      for (let attempt = 0; attempt < 1000; attempt++) {
        const ip = ipOf(
          firstDynamicOffset + Math.floor(Math.random() * (serviceRangeSize - firstDynamicOffset - 1)),
        );
        if (!used.has(ip)) return ip;
      }
      throw internalError(new Error('no free ClusterIP in 10.96.0.0/12'));
    },
    async allocateNodePort() {
      const used = new Set(
        (await allServices()).flatMap((s) => (s.spec?.ports ?? []).map((p) => p.nodePort)),
      );
      const free: number[] = [];
      for (let port = nodePortMin; port <= nodePortMax; port++) if (!used.has(port)) free.push(port);
      const port = free[Math.floor(Math.random() * free.length)];
      if (port === undefined) throw internalError(new Error('no free NodePort in 30000-32767'));
      return port;
    },
  };
}
