// ImageLocality: favours nodes that already have the pod's images, weighting each image by its size
// and by how many nodes share it (so one node with a popular image is not piled on), clamped
// between 23 MB and 1000 MB per container (weight 1).

import { maxNodeScore, type ScorePlugin } from '../framework';

const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;

/** Appends ":latest" when the image has no tag, as the scheduler does before looking it up. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

export const imageLocalityScore: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  preScore(pod, _feasible, cluster) {
    const spec = pod.pod.spec;
    const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
    const images = containers
      .map((c) => normalizedImageName(c.image ?? ''))
      .map((name) => ({ name, nodes: cluster.imageNodeCount(name) }));
    if (images.every((i) => i.nodes === 0)) return undefined;
    const totalNodes = cluster.nodes.length;
    const maxThreshold = maxContainerThreshold * containers.length;
    return {
      score(node) {
        let sum = 0;
        for (const image of images) {
          const size = node.imageSizes.get(image.name);
          if (size !== undefined) sum += Math.trunc(size * (image.nodes / totalNodes));
        }
        const clamped = Math.min(Math.max(sum, minThreshold), maxThreshold);
        return Math.trunc((maxNodeScore * (clamped - minThreshold)) / (maxThreshold - minThreshold));
      },
    };
  },
};
