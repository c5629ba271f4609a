import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { KService } from './komposeService';
import { LABEL } from './labels';
import type { WarningSink } from './warnings';

// `kompose.hpa.*` labels → an autoscaling/v2 HorizontalPodAutoscaler for the Deployment.

const HPA_LABELS = [LABEL.hpaCpu, LABEL.hpaMemory, LABEL.hpaMinReplicas, LABEL.hpaMaxReplicas];

export function autoscaler(
  service: KService,
  name: string,
  warnings: WarningSink,
): V2HorizontalPodAutoscaler | undefined {
  if (!HPA_LABELS.some((label) => label in service.labels)) return undefined;
  const value = (label: string, fallback: number) => {
    const text = service.labels[label] ?? '';
    if (!/^\+?\d+$/.test(text.trim())) {
      warnings.kompose(
        `Error converting label ${label}. Using default value ${fallback}`,
        service.compose.name,
        'labels',
      );
      return fallback;
    }
    return Number(text);
  };
  const percentage = (label: string, fallback: number) => {
    const metric = value(label, fallback);
    if (metric >= 1 && metric <= 100) return metric;
    warnings.kompose(
      `Metric value ${metric} is not within the acceptable range [1, 100]. Using default value ${fallback}`,
      service.compose.name,
      'labels',
    );
    return fallback;
  };
  const minReplicas = value(LABEL.hpaMinReplicas, 1);
  let maxReplicas = value(LABEL.hpaMaxReplicas, 3);
  if (maxReplicas < minReplicas) {
    warnings.kompose(
      `maxReplicas ${maxReplicas} is less than minReplicas ${minReplicas}. Using minReplicas value ${minReplicas}`,
      service.compose.name,
      'labels',
    );
    maxReplicas = minReplicas;
  }
  const utilization = (resource: string, averageUtilization: number) => ({
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
  });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas,
      metrics: [
        utilization('cpu', percentage(LABEL.hpaCpu, 50)),
        utilization('memory', percentage(LABEL.hpaMemory, 70)),
      ],
    },
  };
}
