import type { V1ControllerRevision, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { templatePatch } from '../../../cluster/controllers/history/templatePatch';
import {
  controllerRevisionHistory,
  RollbackError,
  replicaSetHistory,
  revisionViews,
  rollbackAnnotations,
  sameTemplate,
  selectRevision,
} from './rolloutHistory';

const template = (image: string, hash?: string): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});

const replicaSet = (
  revision: number | undefined,
  image: string,
  extra: Record<string, string> = {},
): V1ReplicaSet => ({
  metadata: {
    name: `web-${image}`,
    annotations: {
      ...(revision === undefined ? {} : { 'deployment.kubernetes.io/revision': String(revision) }),
      ...extra,
    },
  },
  spec: { selector: {}, template: template(image, `h${image}`) },
});

const controllerRevision = (revision: number, image: string): V1ControllerRevision => ({
  metadata: { name: `web-${revision}` },
  revision,
  data: templatePatch({ spec: { template: template(image) } }),
});

describe('rollout history and the revision a rollback picks', () => {
  const history = replicaSetHistory([
    replicaSet(3, 'c'),
    replicaSet(1, 'a'),
    replicaSet(undefined, 'x'),
    replicaSet(2, 'b'),
  ]);

  it('orders ReplicaSets by revision and leaves out those without one', () => {
    expect(history.map((h) => h.revision)).toEqual([1, 2, 3]);
  });

  it('picks the revision before the newest for revision 0, as rollout undo does', () => {
    expect(selectRevision(history, 0, 'Deployment', 'web').revision).toBe(2);
    expect(selectRevision(history, 1, 'Deployment', 'web').source.metadata?.name).toBe('web-a');
  });

  it("refuses with kubectl's words when the revision is not there", () => {
    expect(() => selectRevision(history, 7, 'Deployment', 'web')).toThrow(
      'unable to find specified revision 7 in history',
    );
    expect(() => selectRevision(history.slice(0, 1), 0, 'Deployment', 'web')).toThrow(
      'no rollout history found for deployment "web"',
    );
    expect(() => selectRevision([], 0, 'StatefulSet', 'db')).toThrow(RollbackError);
    expect(() => selectRevision([], 0, 'StatefulSet', 'db')).toThrow('no last revision to roll back to');
  });

  it('reads ControllerRevision templates from their patch data', () => {
    const revisions = controllerRevisionHistory([controllerRevision(2, 'b'), controllerRevision(1, 'a')]);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[0]?.template.spec?.containers[0]?.image).toBe('a');
  });

  it('compares templates ignoring the pod-template-hash label and key order', () => {
    expect(sameTemplate(template('a', 'h1'), template('a'))).toBe(true);
    expect(sameTemplate(template('a'), template('b'))).toBe(false);
  });

  it('lists revisions newest first and marks the current one', () => {
    const views = revisionViews(history, template('c'));
    expect(views.map((v) => [v.revision, v.current, v.images])).toEqual([
      [3, true, ['c']],
      [2, false, ['b']],
      [1, false, ['a']],
    ]);
  });

  it("keeps the Deployment's bookkeeping annotations and takes the rest from the ReplicaSet", () => {
    expect(
      rollbackAnnotations(
        { 'deployment.kubernetes.io/revision': '3', team: 'old' },
        { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'v1' },
      ),
    ).toEqual({ 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'v1' });
  });
});
