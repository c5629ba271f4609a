// Resources served in two shapes over one storage location: events.k8s.io/v1 Events are stored as
// core v1 Events (so `kubectl describe` sees events from either API), and autoscaling/v1
// HorizontalPodAutoscalers as autoscaling/v2. Fields the older shape cannot express are dropped
// when written through it, a simplification of Kubernetes' annotation round-tripping.

import type {
  CoreV1Event,
  EventsV1Event,
  V1HorizontalPodAutoscaler,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
} from '@kubernetes/client-node';
import type { ResourceInfo } from './resourceCatalog';
import type { KubeObject } from './strategy';

export interface Conversion {
  /** Group whose storage location holds the objects. */
  storageGroup: string;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

function eventToCore(e: EventsV1Event): CoreV1Event {
  return {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    related: e.related,
    reason: e.reason,
    message: e.note,
    type: e.type,
    action: e.action,
    eventTime: e.eventTime,
    series: e.series && { count: e.series.count, lastObservedTime: e.series.lastObservedTime },
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

function eventFromCore(e: CoreV1Event): EventsV1Event {
  return {
    metadata: e.metadata,
    eventTime: e.eventTime as EventsV1Event['eventTime'],
    regarding: e.involvedObject,
    related: e.related,
    reason: e.reason,
    note: e.message,
    type: e.type,
    action: e.action,
    series:
      e.series &&
      ({ count: e.series.count, lastObservedTime: e.series.lastObservedTime } as EventsV1Event['series']),
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
    reportingController: e.reportingComponent,
    reportingInstance: e.reportingInstance,
  };
}

function cpuUtilization(metrics: V2MetricSpec[] | undefined): number | undefined {
  const cpu = metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  return cpu?.resource?.target.averageUtilization;
}

function hpaToV2(h: V1HorizontalPodAutoscaler): V2HorizontalPodAutoscaler {
  const spec = h.spec;
  const target = spec?.targetCPUUtilizationPercentage;
  const current = h.status?.currentCPUUtilizationPercentage;
  return {
    metadata: h.metadata,
    spec: spec && {
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics:
        target === undefined
          ? undefined
          : [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
              },
            ],
    },
    status: h.status && {
      observedGeneration: h.status.observedGeneration,
      lastScaleTime: h.status.lastScaleTime,
      currentReplicas: h.status.currentReplicas,
      desiredReplicas: h.status.desiredReplicas,
      currentMetrics:
        current === undefined
          ? undefined
          : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
    },
  };
}

function hpaToV1(h: V2HorizontalPodAutoscaler): V1HorizontalPodAutoscaler {
  const currentCpu = h.status?.currentMetrics?.find(
    (m) => m.type === 'Resource' && m.resource?.name === 'cpu',
  );
  return {
    metadata: h.metadata,
    spec: h.spec && {
      scaleTargetRef: h.spec.scaleTargetRef,
      minReplicas: h.spec.minReplicas,
      maxReplicas: h.spec.maxReplicas,
      targetCPUUtilizationPercentage: cpuUtilization(h.spec.metrics),
    },
    status: h.status && {
      observedGeneration: h.status.observedGeneration,
      lastScaleTime: h.status.lastScaleTime,
      currentReplicas: h.status.currentReplicas ?? 0,
      desiredReplicas: h.status.desiredReplicas,
      currentCPUUtilizationPercentage: currentCpu?.resource?.current.averageUtilization,
    },
  };
}

/** JSON round trip drops the undefined members the converters leave. */
function plain<T>(value: T): KubeObject {
  return JSON.parse(JSON.stringify(value)) as KubeObject;
}

const conversions: Record<string, Conversion> = {
  'events.k8s.io/v1/events': {
    storageGroup: '',
    toStorage: (obj) => plain(eventToCore(obj as unknown as EventsV1Event)),
    fromStorage: (obj) => plain(eventFromCore(obj as unknown as CoreV1Event)),
  },
  'autoscaling/v1/horizontalpodautoscalers': {
    storageGroup: 'autoscaling',
    toStorage: (obj) => plain(hpaToV2(obj as V1HorizontalPodAutoscaler)),
    fromStorage: (obj) => plain(hpaToV1(obj as V2HorizontalPodAutoscaler)),
  },
};

export function conversionFor(info: ResourceInfo): Conversion | undefined {
  return conversions[`${info.group}/${info.version}/${info.plural}`];
}
