import { describe, expect, it } from 'vitest';
import { info, scoresOf, testCluster, testNode } from '../testing/fixtures';
import { imageLocalityScore, normalizedImageName } from './imageLocality';

const mb = 1024 * 1024;

describe('ImageLocality', () => {
  it('adds :latest to untagged image names only', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('registry:5000/app')).toBe('registry:5000/app:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
  });

  it('favours nodes that have the image, scaled by its size and spread', () => {
    const cluster = testCluster([
      testNode('has', { images: [{ names: ['big:1'], sizeBytes: 523 * mb }] }),
      testNode('lacks'),
    ]);
    // 523 MB on 1 of 2 nodes → 261.5 MB; (261.5 - 23) / (1000 - 23) × 100 → 24.
    expect(
      scoresOf(imageLocalityScore, info('p', { containers: [{ name: 'a', image: 'big:1' }] }), cluster),
    ).toEqual({
      has: 24,
      lacks: 0,
    });
  });

  it('skips pods whose images no node has', () => {
    expect(scoresOf(imageLocalityScore, info('p'), testCluster([testNode('a')]))).toBeUndefined();
  });
});
