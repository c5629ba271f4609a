// What a pod asks of a node, as kube-scheduler computes it (component-helpers resource.PodRequests):
// containers add up; restartable init containers (sidecars) add to them and to every later init
// container; the pod needs the larger of that sum and its biggest init step; overhead is added.
// Scoring uses "non-zero" requests: a container without a CPU or memory request counts as 100m and
// 200Mi so that empty pods still spread (schedutil.DefaultMilliCPURequest/DefaultMemoryRequest).

import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { milliValue, unitValue } from './quantity';

export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources and hugepages, by name. */
  scalars: Map<string, number>;
}

export const defaultMilliCpuRequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, scalars: new Map() };
}

/** Adds a ResourceList (requests, overhead, allocatable) to `into`; `pods` is not a request. */
export function addResourceList(into: Resources, list: Record<string, string> | undefined): Resources {
  if (!list) return into;
  for (const [name, quantity] of Object.entries(list)) {
    if (name === 'cpu') into.milliCpu += milliValue(quantity);
    else if (name === 'memory') into.memory += unitValue(quantity);
    else if (name === 'ephemeral-storage') into.ephemeralStorage += unitValue(quantity);
    else if (name !== 'pods') into.scalars.set(name, (into.scalars.get(name) ?? 0) + unitValue(quantity));
  }
  return into;
}

function addResources(into: Resources, other: Resources): void {
  into.milliCpu += other.milliCpu;
  into.memory += other.memory;
  into.ephemeralStorage += other.ephemeralStorage;
  for (const [name, value] of other.scalars) into.scalars.set(name, (into.scalars.get(name) ?? 0) + value);
}

function maxResources(into: Resources, other: Resources): void {
  into.milliCpu = Math.max(into.milliCpu, other.milliCpu);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const [name, value] of other.scalars)
    into.scalars.set(name, Math.max(into.scalars.get(name) ?? 0, value));
}

function copy(r: Resources): Resources {
  return { ...r, scalars: new Map(r.scalars) };
}

type ContainerRequests = (c: V1Container) => Resources;

const declaredRequests: ContainerRequests = (c) => addResourceList(emptyResources(), c.resources?.requests);

const nonZeroRequests: ContainerRequests = (c) => {
  const r = declaredRequests(c);
  const requests = c.resources?.requests ?? {};
  if (requests.cpu === undefined) r.milliCpu = defaultMilliCpuRequest;
  if (requests.memory === undefined) r.memory = defaultMemoryRequest;
  return r;
};

function podRequestsWith(pod: V1Pod, containerRequests: ContainerRequests): Resources {
  const spec = pod.spec;
  const total = emptyResources();
  for (const c of spec?.containers ?? []) addResources(total, containerRequests(c));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const c of spec?.initContainers ?? []) {
    const requests = containerRequests(c);
    let step: Resources;
    if (c.restartPolicy === 'Always') {
      addResources(total, requests);
      addResources(sidecars, requests);
      step = sidecars;
    } else {
      step = copy(requests);
      addResources(step, sidecars);
    }
    maxResources(initPeak, step);
  }
  maxResources(total, initPeak);
  addResourceList(total, spec?.overhead);
  return total;
}

/** The pod's effective requests, compared with a node's allocatable by NodeResourcesFit. */
export function podRequests(pod: V1Pod): Resources {
  return podRequestsWith(pod, declaredRequests);
}

/** Requests with the scoring defaults for containers that declare none. */
export function podNonZeroRequests(pod: V1Pod): { milliCpu: number; memory: number } {
  const r = podRequestsWith(pod, nonZeroRequests);
  return { milliCpu: r.milliCpu, memory: r.memory };
}
