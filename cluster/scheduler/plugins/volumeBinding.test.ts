import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { filterOn, info, testCluster, testNode } from '../testing/fixtures';
import {
  errReasonBindConflict,
  errReasonNodeConflict,
  errReasonPVNotExist,
  errReasonUnboundImmediate,
  type VolumeLookups,
  volumeBinding,
} from './volumeBinding';

const claim = (name: string, spec: V1PersistentVolumeClaim['spec']): V1PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const localVolume = (
  name: string,
  node: string,
  extra: Partial<V1PersistentVolume> = {},
): V1PersistentVolume => ({
  metadata: { name },
  spec: {
    storageClassName: 'manual',
    capacity: { storage: '5Gi' },
    accessModes: ['ReadWriteOnce'],
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
        ],
      },
    },
  },
  status: { phase: 'Available' },
  ...extra,
});
const classes: Record<string, V1StorageClass> = {
  'local-path': {
    metadata: { name: 'local-path' },
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  manual: {
    metadata: { name: 'manual' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'WaitForFirstConsumer',
  },
  immediate: { metadata: { name: 'immediate' }, provisioner: 'rancher.io/local-path' },
};

function lookups(claims: V1PersistentVolumeClaim[], volumes: V1PersistentVolume[] = []): VolumeLookups {
  return {
    claim: (_ns, name) => claims.find((c) => c.metadata?.name === name),
    volume: (name) => volumes.find((v) => v.metadata?.name === name),
    storageClass: (name) => classes[name],
    volumesOfClass: (name) => volumes.filter((v) => v.spec?.storageClassName === name),
    isVolumeReserved: () => false,
  };
}

const usingClaim = (name: string) =>
  info('p', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: name } }] });
const cluster = testCluster([testNode('n1'), testNode('n2')]);

describe('VolumeBinding', () => {
  it('rejects every node when a claim is missing or unbound with an Immediate class', () => {
    expect(volumeBinding(lookups([])).preFilter(usingClaim('data'), cluster)).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['persistentvolumeclaim "data" not found'],
    });
    const plugin = volumeBinding(lookups([claim('data', { storageClassName: 'immediate' })]));
    expect(plugin.preFilter(usingClaim('data'), cluster)).toMatchObject({
      reasons: [errReasonUnboundImmediate],
    });
  });

  it("admits only nodes a bound PV's node affinity allows", () => {
    const plugin = volumeBinding(
      lookups(
        [claim('data', { volumeName: 'pv-n1' }), claim('gone', { volumeName: 'pv-missing' })],
        [localVolume('pv-n1', 'n1')],
      ),
    );
    expect(filterOn(plugin, usingClaim('data'), cluster, 'n1')).toBeUndefined();
    expect(filterOn(plugin, usingClaim('data'), cluster, 'n2')).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [errReasonNodeConflict],
    });
    expect(filterOn(plugin, usingClaim('gone'), cluster, 'n1')?.reasons).toEqual([errReasonPVNotExist]);
  });

  it('lets a WaitForFirstConsumer claim go where a provisioner can create its volume', () => {
    const plugin = volumeBinding(lookups([claim('data', { storageClassName: 'local-path' })]));
    expect(filterOn(plugin, usingClaim('data'), cluster, 'n2')).toBeUndefined();
  });

  it('needs an available PV on the node when the class cannot provision', () => {
    const plugin = volumeBinding(
      lookups([claim('data', { storageClassName: 'manual' })], [localVolume('pv-n1', 'n1')]),
    );
    expect(filterOn(plugin, usingClaim('data'), cluster, 'n1')).toBeUndefined();
    expect(filterOn(plugin, usingClaim('data'), cluster, 'n2')?.reasons).toEqual([errReasonBindConflict]);
    const tooSmall = volumeBinding(
      lookups(
        [claim('data', { storageClassName: 'manual', resources: { requests: { storage: '10Gi' } } })],
        [localVolume('pv-n1', 'n1')],
      ),
    );
    expect(filterOn(tooSmall, usingClaim('data'), cluster, 'n1')?.reasons).toEqual([errReasonBindConflict]);
  });

  it('has no say for pods without claims', () => {
    expect(volumeBinding(lookups([])).preFilter(info('p'), cluster)).toBeUndefined();
  });
});
