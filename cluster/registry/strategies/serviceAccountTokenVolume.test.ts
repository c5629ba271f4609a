import type { V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  mountServiceAccountToken,
  randomVolumeSuffix,
  serviceAccountTokenMountPath,
  shouldAutomountToken,
  tokenVolumeSource,
} from './serviceAccountTokenVolume';

const mount = (name: string) => ({ name, readOnly: true, mountPath: serviceAccountTokenMountPath });

describe('service account token volume', () => {
  it('adds one projected volume and mounts it in every init container and container', () => {
    const spec: V1PodSpec = {
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'a', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, { name: 'b' }],
      volumes: [{ name: 'data', emptyDir: {} }],
    };
    mountServiceAccountToken(spec, () => 'x7k2q');
    expect(spec.volumes).toEqual([
      { name: 'data', emptyDir: {} },
      { name: 'kube-api-access-x7k2q', projected: tokenVolumeSource() },
    ]);
    expect(spec.initContainers?.[0]?.volumeMounts).toEqual([mount('kube-api-access-x7k2q')]);
    expect(spec.containers[0]?.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
      mount('kube-api-access-x7k2q'),
    ]);
    expect(spec.containers[1]?.volumeMounts).toEqual([mount('kube-api-access-x7k2q')]);
  });

  it('projects the token, the cluster CA and the namespace as Kubernetes does', () => {
    expect(tokenVolumeSource()).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    });
  });

  it('leaves containers that mount something at the token path alone', () => {
    const own = { name: 'mine', mountPath: serviceAccountTokenMountPath };
    const spec: V1PodSpec = {
      containers: [{ name: 'a', volumeMounts: [own] }],
      volumes: [{ name: 'mine', emptyDir: {} }],
    };
    mountServiceAccountToken(spec, () => 'x7k2q');
    expect(spec.volumes).toEqual([{ name: 'mine', emptyDir: {} }]);
    expect(spec.containers[0]?.volumeMounts).toEqual([own]);
  });

  it('reuses an existing kube-api-access volume', () => {
    const existing: V1PodSpec = {
      containers: [{ name: 'a' }],
      volumes: [{ name: 'kube-api-access-abcde', emptyDir: {} }],
    };
    mountServiceAccountToken(existing, () => 'zzzzz');
    expect(existing.volumes).toHaveLength(1);
    expect(existing.containers[0]?.volumeMounts).toEqual([mount('kube-api-access-abcde')]);
  });

  it('follows automountServiceAccountToken on the pod first, then the ServiceAccount', () => {
    const containers = [{ name: 'a' }];
    expect(shouldAutomountToken({ containers }, {})).toBe(true);
    expect(shouldAutomountToken({ containers }, { automountServiceAccountToken: false })).toBe(false);
    expect(
      shouldAutomountToken(
        { containers, automountServiceAccountToken: true },
        { automountServiceAccountToken: false },
      ),
    ).toBe(true);
    expect(shouldAutomountToken({ containers, automountServiceAccountToken: false }, {})).toBe(false);
  });

  it('draws suffixes from the Kubernetes name alphabet', () => {
    for (let i = 0; i < 50; i++) expect(randomVolumeSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
