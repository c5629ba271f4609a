import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  maxRevision,
  revisionOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './revisions';

function deployment(annotations: Record<string, string> = {}): V1Deployment {
  return {
    metadata: { name: 'web', annotations },
    spec: {
      replicas: 4,
      selector: {},
      template: {},
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
  };
}

const rs = (annotations?: Record<string, string>): V1ReplicaSet => ({
  metadata: { name: 'web-x', annotations },
});

describe('revision annotations', () => {
  it('reads revisions, treating a missing one as 0 and skipping unparsable ones', () => {
    expect(revisionOf(rs())).toBe(0);
    expect(revisionOf(rs({ 'deployment.kubernetes.io/revision': '7' }))).toBe(7);
    expect(revisionOf(rs({ 'deployment.kubernetes.io/revision': 'x' }))).toBeUndefined();
    const sets = ['3', 'x', '11', '2'].map((r) => rs({ 'deployment.kubernetes.io/revision': r }));
    expect(maxRevision(sets)).toBe(11);
  });

  it('gives a new ReplicaSet the revision, the replica annotations and the Deployment own annotations', () => {
    const d = deployment({
      'kubernetes.io/change-cause': 'kubectl set image',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '4',
    });
    const created = rs();
    expect(setNewReplicaSetAnnotations(d, created, '5', false)).toBe(true);
    expect(created.metadata?.annotations).toEqual({
      'kubernetes.io/change-cause': 'kubectl set image',
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
    expect(setNewReplicaSetAnnotations(d, created, '5', true)).toBe(false);
  });

  it('keeps earlier revisions in revision-history when a ReplicaSet comes back', () => {
    const back = rs({ 'deployment.kubernetes.io/revision': '1' });
    setNewReplicaSetAnnotations(deployment(), back, '3', true);
    setNewReplicaSetAnnotations(deployment(), back, '5', true);
    expect(back.metadata?.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/revision-history': '1,3',
    });
    const capped = rs({
      'deployment.kubernetes.io/revision': '30',
      'deployment.kubernetes.io/revision-history': '10,20',
    });
    setNewReplicaSetAnnotations(deployment(), capped, '40', true, 6);
    expect(capped.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('20,30');
  });

  it('never lowers a revision', () => {
    const newer = rs({ 'deployment.kubernetes.io/revision': '9' });
    expect(setNewReplicaSetAnnotations(deployment(), newer, '3', true)).toBe(false);
    expect(newer.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('9');
  });

  it('reports whether replica and deployment revision annotations changed', () => {
    const set = rs();
    expect(setReplicasAnnotations(set, 3, 4)).toBe(true);
    expect(setReplicasAnnotations(set, 3, 4)).toBe(false);
    const d = deployment();
    expect(setDeploymentRevision(d, '2')).toBe(true);
    expect(setDeploymentRevision(d, '2')).toBe(false);
  });
});
