import type { V1ControllerRevision, V1StatefulSet } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSelectorFromObject } from '../../registry/selectors';
import { resources } from '../runtime/resources';
import { type ControllerHarness, startControllerHarness } from '../testing/controllerHarness';
import {
  buildRevision,
  createRevision,
  equalRevision,
  nextRevision,
  ownedOrOrphanRevisions,
  renumberRevision,
  revisionHashLabel,
  revisionsToTrim,
  sortRevisions,
} from './controllerHistory';
import { canonicalJson, hashRevisionData } from './revisionHash';
import { applyRevision, revisionTemplate, templatePatch } from './templatePatch';

// A revision Kubernetes 1.34 wrote (pkg/controller/statefulset/testdata/compatibility_revision_1.34.0.json).
const kubernetesData = JSON.parse(
  '{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}',
);

const owner = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
};
const kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

function revision(name: string, number: number, created: string, data: unknown = {}): V1ControllerRevision {
  return {
    metadata: { name, creationTimestamp: created as unknown as Date },
    revision: number,
    data: data as object,
  };
}

describe('revision hashing', () => {
  it('names a revision exactly as Kubernetes does', () => {
    expect(hashRevisionData(kubernetesData, 0)).toBe('776999688b');
    const built = buildRevision(
      { metadata: { name: 'test', namespace: 'default', uid: 'u' } },
      kind,
      { labels: { app: 'foo' }, data: kubernetesData, revision: 2, hashLabel: revisionHashLabel },
      0,
    );
    expect(built.metadata?.name).toBe('test-776999688b');
    expect(built.metadata?.labels).toEqual({ app: 'foo', [revisionHashLabel]: '776999688b' });
  });

  it('encodes data like Go: sorted keys, escaped HTML characters', () => {
    expect(canonicalJson({ b: 1, a: { d: '<&>', c: [true, null] } })).toBe(
      '{"a":{"c":[true,null],"d":"\\u003c\\u0026\\u003e"},"b":1}',
    );
  });

  it('changes the hash with the collision count', () => {
    expect(hashRevisionData(kubernetesData, 1)).not.toBe(hashRevisionData(kubernetesData, 0));
  });
});

describe('template patches', () => {
  it('stores the template as a replacing strategic merge patch and restores it', () => {
    const set = {
      spec: {
        selector: {},
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'a' }] } },
      },
    } as V1StatefulSet;
    const data = templatePatch(set);
    expect(canonicalJson(data)).toBe(
      '{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"a","name":"c"}]}}}}',
    );
    expect(revisionTemplate(data)).toEqual(set.spec?.template);
    const changed = structuredClone(set);
    changed.spec?.template.spec?.containers.splice(0, 1, { name: 'c', image: 'b' });
    expect(applyRevision(changed, data).spec?.template).toEqual(set.spec?.template);
  });
});

describe('revision ordering and trimming', () => {
  it('orders by number, then creation time, then name', () => {
    const sorted = sortRevisions([
      revision('c', 2, '2024-01-01T00:00:00Z'),
      revision('b', 1, '2024-01-02T00:00:00Z'),
      revision('a', 1, '2024-01-02T00:00:00Z'),
      revision('d', 1, '2024-01-01T00:00:00Z'),
    ]);
    expect(sorted.map((r) => r.metadata?.name)).toEqual(['d', 'a', 'b', 'c']);
    expect(nextRevision(sorted)).toBe(3);
    expect(nextRevision([])).toBe(1);
  });

  it('trims the oldest revisions that nothing uses down to the limit', () => {
    const sorted = [1, 2, 3, 4, 5].map((n) => revision(`r${n}`, n, '2024-01-01T00:00:00Z'));
    const trimmed = revisionsToTrim(sorted, new Set(['r1', 'r5']), 2);
    expect(trimmed.map((r) => r.metadata?.name)).toEqual(['r2']);
    expect(revisionsToTrim(sorted, new Set(), 10)).toEqual([]);
  });

  it('keeps revisions the owner controls or nobody does, matching its selector', () => {
    const selector = labelSelectorFromObject({ matchLabels: { app: 'web' } });
    const mine = {
      ...revision('mine', 1, ''),
      metadata: {
        name: 'mine',
        namespace: 'default',
        labels: { app: 'web' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true },
        ],
      },
    };
    const orphan = {
      ...revision('orphan', 1, ''),
      metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } },
    };
    const other = {
      ...revision('other', 1, ''),
      metadata: {
        name: 'other',
        namespace: 'default',
        labels: { app: 'web' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'x', uid: 'uid-x', controller: true },
        ],
      },
    };
    const elsewhere = {
      ...revision('elsewhere', 1, ''),
      metadata: { name: 'elsewhere', namespace: 'other', labels: { app: 'web' } },
    };
    const unlabelled = {
      ...revision('unlabelled', 1, ''),
      metadata: { name: 'unlabelled', namespace: 'default' },
    };
    const kept = ownedOrOrphanRevisions([mine, orphan, other, elsewhere, unlabelled], owner, selector);
    expect(kept.map((r) => r.metadata?.name)).toEqual(['mine', 'orphan']);
  });
});

describe('storing revisions', () => {
  let harness: ControllerHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('reuses an equal revision, probes a new name on a collision and renumbers', async () => {
    harness = await startControllerHarness([]);
    const client = harness.ctx.client.resource(resources.controllerRevisions);
    const spec = {
      labels: { app: 'web' },
      data: { spec: { template: { a: 1 } } },
      revision: 1,
      hashLabel: revisionHashLabel,
    };
    const first = await createRevision(client, owner, kind, spec, 0);
    expect(first.collisionCount).toBe(0);
    const again = await createRevision(client, owner, kind, { ...spec, revision: 7 }, 0);
    expect(again.revision.metadata?.uid).toBe(first.revision.metadata?.uid);
    expect(again.revision.revision).toBe(1);

    // Someone else's revision squats on the name the next data would get.
    const squatted = { ...spec, data: { spec: { template: { a: 2 } } }, revision: 2 };
    const squatter = buildRevision(
      { metadata: { name: 'web', namespace: 'default', uid: 'other' } },
      kind,
      { ...squatted, data: { other: true } },
      0,
    );
    squatter.metadata = {
      ...squatter.metadata,
      name: buildRevision(owner, kind, squatted, 0).metadata?.name,
    };
    await client.create(squatter);
    const probed = await createRevision(client, owner, kind, squatted, 0);
    expect(probed.collisionCount).toBe(1);
    expect(probed.revision.metadata?.name).toBe(buildRevision(owner, kind, squatted, 1).metadata?.name);
    expect(equalRevision(probed.revision, buildRevision(owner, kind, squatted, 1))).toBe(true);

    const renumbered = await renumberRevision(client, first.revision, 3);
    expect(renumbered.revision).toBe(3);
    expect((await client.get('default', first.revision.metadata?.name ?? ''))?.revision).toBe(3);
  });
});
