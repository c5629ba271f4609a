import { describe, expect, it } from 'vitest';
import { containerCreateOptions } from './containerSpec';

describe('containerCreateOptions', () => {
  it('joins the infra container and maps security context, limits, mounts and labels', () => {
    const options = containerCreateOptions({
      pod: {
        metadata: { name: 'web', namespace: 'default', uid: 'u1' },
        spec: { shareProcessNamespace: true, securityContext: { runAsGroup: 3000 }, containers: [] },
      },
      container: {
        name: 'app',
        image: 'busybox',
        command: ['sh'],
        args: ['-c', 'echo $(X)'],
        workingDir: '/work',
        securityContext: {
          runAsUser: 1000,
          readOnlyRootFilesystem: true,
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        },
        resources: { limits: { memory: '64Mi', cpu: '250m' } },
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
      },
      kind: 'app',
      attempt: 2,
      infraId: 'infra1',
      env: { X: 'y' },
      volumeDirs: new Map([['data', '/var/lib/kubedesk/pods/u1/volumes/data']]),
    });
    expect(options).toMatchObject({
      name: 'k8s_app_web_default_u1_2',
      Image: 'busybox',
      Entrypoint: ['sh'],
      Cmd: ['-c', 'echo y'],
      Env: ['X=y'],
      WorkingDir: '/work',
      User: '1000:3000',
      Labels: {
        'io.kubedesk.pod.uid': 'u1',
        'io.kubedesk.container.name': 'app',
        'io.kubedesk.container.attempt': '2',
      },
      HostConfig: {
        NetworkMode: 'container:infra1',
        IpcMode: 'container:infra1',
        PidMode: 'container:infra1',
        Binds: ['/var/lib/kubedesk/pods/u1/volumes/data:/data:ro'],
        ReadonlyRootfs: true,
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['ALL'],
        Memory: 64 * 1024 * 1024,
        NanoCpus: 250_000_000,
      },
    });
  });

  it('rejects a mount of a volume the pod does not define', () => {
    expect(() =>
      containerCreateOptions({
        pod: { metadata: { name: 'p' }, spec: { containers: [] } },
        container: { name: 'c', volumeMounts: [{ name: 'x', mountPath: '/x' }] },
        kind: 'app',
        attempt: 0,
        infraId: 'i',
        env: {},
        volumeDirs: new Map(),
      }),
    ).toThrow('volume "x" is not defined by the pod');
  });
});
