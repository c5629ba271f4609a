import type {
  CoreV1Api,
  V1Container,
  V1Pod,
  V1Probe,
  V1ServiceAccountTokenProjection,
} from '@kubernetes/client-node';
import type Docker from 'dockerode';
import type { ContainerInfo } from 'dockerode';
import type { Logger } from '../../log';
import { isSideloading } from '../sideloadMarkers';
import { crashBackoffMs, pullBackoffMs } from './backoff';
import { infraName, labels } from './containerLabels';
import { containerCreateOptions } from './containerSpec';
import { execToCompletion } from './dockerExec';
import { ContainerConfigError, resolveEnv } from './envResolution';
import { type HookTarget, runLifecycleHandler } from './lifecycleHooks';
import { ensurePauseImage } from './pauseImage';
import { podDnsHostConfig } from './podDns';
import { fetchPodSources } from './podSources';
import { type ContainerRun, computePodStatus, type ObservedContainer, type ObservedPod } from './podStatus';
import { ProbeTracker, runProbe } from './probes';
import { ServiceAccountTokenManager } from './serviceAccountTokens';
import { fetchPodServiceEnv } from './serviceEnv';
import { StartSlots } from './startSlots';
import { prepareVolumes, removePodVolumes } from './volumes';

// Runs the pods bound to this node on its dockerd, one level-based sync per pod: the desired pod
// against the containers dockerd has (found by label), then the pod status written back.

export interface PodWorkerOptions {
  docker: Docker;
  core: CoreV1Api;
  nodeName: string;
  hostIP: string;
  log: Logger;
  now?: () => number;
  /** Docker creates and starts of containers in flight at once on this node (StartSlots); default 2. */
  startConcurrency?: number;
}

interface ContainerNotes {
  waiting?: { reason: string; message?: string };
  pullFailures: number;
  retryAt: number;
  runId?: string;
  readiness?: ProbeTracker;
  liveness?: ProbeTracker;
  startup?: ProbeTracker;
}

interface PodNotes {
  containers: Map<string, ContainerNotes>;
  /** Docker container ID → its last inspection, reused while the container keeps running. */
  runs: Map<string, ContainerRun>;
  lastStatus?: string;
  podIP?: string;
  /** Aborted when the pod starts terminating, ending a postStart hook still running. */
  hooks: AbortController;
}

const usesPodIP = (container: V1Container) =>
  !!container.env?.some((e) => e.valueFrom?.fieldRef?.fieldPath?.startsWith('status.podIP'));

const attemptOf = (c: ContainerInfo) => Number(c.Labels[labels.attempt] ?? 0);

const grace = (pod: V1Pod) => pod.spec?.terminationGracePeriodSeconds ?? 30;

export class PodWorker {
  private readonly notes = new Map<string, PodNotes>();
  private readonly now: () => number;
  private readonly slots: StartSlots;
  private readonly tokens: ServiceAccountTokenManager;

  constructor(private readonly o: PodWorkerOptions) {
    this.now = o.now ?? Date.now;
    this.slots = new StartSlots(o.startConcurrency ?? 2);
    this.tokens = new ServiceAccountTokenManager({ core: o.core, now: this.now });
  }

  async podContainers(uid?: string): Promise<ContainerInfo[]> {
    const filter = uid ? `${labels.podUid}=${uid}` : labels.podUid;
    return this.o.docker.listContainers({ all: true, filters: { label: [filter] } });
  }

  /** The container of a pod's named container: the latest attempt, or the one before with `previous`. */
  async findContainer(
    namespace: string,
    pod: string,
    container: string,
    previous = false,
  ): Promise<ContainerInfo | undefined> {
    const all = await this.o.docker.listContainers({
      all: true,
      filters: {
        label: [
          `${labels.podNamespace}=${namespace}`,
          `${labels.podName}=${pod}`,
          `${labels.container}=${container}`,
        ],
      },
    });
    const sorted = all.sort((a, b) => attemptOf(b) - attemptOf(a));
    return previous ? sorted[1] : sorted[0];
  }

  private async infraIP(id: string): Promise<string> {
    const info = await this.o.docker.getContainer(id).inspect();
    return info.NetworkSettings.Networks.bridge?.IPAddress ?? '';
  }

  /** The pod's IP, from its infra container; undefined when the pod has none on this node. */
  async podIP(namespace: string, pod: string): Promise<string | undefined> {
    const infra = await this.findContainer(namespace, pod, infraName);
    return infra ? (await this.infraIP(infra.Id)) || undefined : undefined;
  }

  private podNotes(uid: string): PodNotes {
    let notes = this.notes.get(uid);
    if (!notes) {
      notes = { containers: new Map(), runs: new Map(), hooks: new AbortController() };
      this.notes.set(uid, notes);
    }
    return notes;
  }

  private containerNotes(pod: PodNotes, name: string): ContainerNotes {
    let notes = pod.containers.get(name);
    if (!notes) {
      notes = { pullFailures: 0, retryAt: 0 };
      pod.containers.set(name, notes);
    }
    return notes;
  }

  /** Removes containers (and volumes) of pods that are no longer bound here. */
  async removeOrphans(known: Set<string>): Promise<void> {
    const uids = new Set((await this.podContainers()).map((c) => c.Labels[labels.podUid] ?? ''));
    for (const uid of uids) {
      if (known.has(uid)) continue;
      await this.killPod(uid, 0);
      this.notes.delete(uid);
      this.tokens.forgetPod(uid);
    }
  }

  /** The pod is being deleted: a postStart hook still running stops, so its sync can end. */
  podTerminating(uid: string): void {
    this.notes.get(uid)?.hooks.abort();
  }

  async killPod(uid: string, graceSeconds: number, pod?: V1Pod): Promise<void> {
    const containers = await this.podContainers(uid);
    const apps = containers.filter((c) => c.Labels[labels.kind] !== 'infra');
    await Promise.all(
      apps.map(async (c) => {
        if (c.State !== 'running') return;
        const name = c.Labels[labels.container];
        const spec = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].find(
          (s) => s.name === name,
        );
        await this.stopContainer(pod, spec, c.Id, graceSeconds);
      }),
    );
    for (const c of containers)
      await this.o.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await removePodVolumes(uid);
  }

  /**
   * Stops one container as the kubelet's killContainer does: its preStop hook first, within the
   * grace period, then SIGTERM with what is left of it, but at least 2 s so the app can still
   * shut down cleanly, then SIGKILL.
   */
  private async stopContainer(
    pod: V1Pod | undefined,
    container: V1Container | undefined,
    containerId: string,
    graceSeconds: number,
  ): Promise<void> {
    const preStop = container?.lifecycle?.preStop;
    let seconds = graceSeconds;
    if (pod && container && preStop && graceSeconds > 0) {
      const started = performance.now();
      await runLifecycleHandler(
        preStop,
        this.hookTarget(pod, container, containerId),
        AbortSignal.timeout(graceSeconds * 1000),
      ).catch((err: Error) => this.o.log.warn('preStop hook failed', { error: err.message }));
      seconds = Math.max(2, graceSeconds - Math.floor((performance.now() - started) / 1000));
    }
    await this.o.docker
      .getContainer(containerId)
      .stop({ t: seconds })
      .catch(() => undefined);
  }

  /** Where a container's probes and lifecycle hooks run. */
  private hookTarget(pod: V1Pod, container: V1Container, containerId: string): HookTarget {
    const uid = pod.metadata?.uid ?? '';
    return {
      podIP: this.notes.get(uid)?.podIP ?? pod.status?.podIP ?? '',
      exec: (command, signal) => execToCompletion(this.o.docker, containerId, command, signal),
      namedPort: (name) => container.ports?.find((p) => p.name === name)?.containerPort,
      container: container.name,
      pod: `${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`,
    };
  }

  /** The image's ID when the node has it. */
  private imageId(image: string): Promise<string | undefined> {
    return this.o.docker
      .getImage(image)
      .inspect()
      .then(
        (info) => info.Id,
        () => undefined,
      );
  }

  /** The host is copying the image in (see sideloadMarkers): wait for its arrival, not a registry. */
  private awaitSideload(image: string, notes: ContainerNotes): undefined {
    notes.waiting = {
      reason: 'ContainerCreating',
      message: `Loading image "${image}" from the host's Docker engine`,
    };
    return undefined;
  }

  /** The ID of the container's image once it is on the node; undefined with the reason in `notes`. */
  private async ensureImage(container: V1Container, notes: ContainerNotes): Promise<string | undefined> {
    const image = container.image ?? '';
    const present = await this.imageId(image);
    const policy =
      container.imagePullPolicy ??
      (image.endsWith(':latest') || !image.includes(':') ? 'Always' : 'IfNotPresent');
    if (present && policy !== 'Always') return present;
    if (!present && policy === 'Never') {
      notes.waiting = {
        reason: 'ErrImageNeverPull',
        message: `Container image "${image}" is not present with pull policy of Never`,
      };
      return undefined;
    }
    if (!present && (await isSideloading(image))) return this.awaitSideload(image, notes);
    if (this.now() < notes.retryAt) {
      // As the kubelet shows it: ErrImagePull when a pull fails, ImagePullBackOff until the next try.
      if (!present)
        notes.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      return present;
    }
    try {
      const stream = await this.o.docker.pull(image);
      await new Promise<void>((resolve, reject) =>
        this.o.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
      );
      notes.pullFailures = 0;
      return this.imageId(image);
    } catch (err) {
      // Offline, an image already on the node still runs under Always: a registry outage should not stop pods.
      if (present) return present;
      // The host may have started copying the image while the registry refused it.
      if (await isSideloading(image)) return this.awaitSideload(image, notes);
      const arrived = await this.imageId(image);
      if (arrived) return arrived;
      notes.pullFailures += 1;
      notes.retryAt = this.now() + pullBackoffMs(notes.pullFailures);
      notes.waiting = {
        reason: 'ErrImagePull',
        message: `failed to pull image "${image}": ${(err as Error).message}`,
      };
      return undefined;
    }
  }

  /**
   * The pod's infra container, created when missing. `ip` settles once it runs: the app containers
   * are created meanwhile (Docker accepts `container:<id>` modes before that container starts).
   */
  private async ensureInfra(
    pod: V1Pod,
    existing: ContainerInfo[],
    knownIP: string | undefined,
  ): Promise<{ id: string; ip: Promise<string> }> {
    const uid = pod.metadata?.uid ?? '';
    const infra = existing.find((c) => c.Labels[labels.kind] === 'infra');
    if (infra?.State === 'running')
      return { id: infra.Id, ip: knownIP ? Promise.resolve(knownIP) : this.infraIP(infra.Id) };
    if (infra) {
      await this.o.docker.getContainer(infra.Id).start();
      return { id: infra.Id, ip: this.infraIP(infra.Id) };
    }
    const created = await this.slots.run(
      async () =>
        this.o.docker.createContainer({
          name: `k8s_${infraName}_${pod.metadata?.name}_${pod.metadata?.namespace}_${uid}_0`,
          Image: await ensurePauseImage(),
          Hostname: (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63),
          Labels: {
            [labels.podUid]: uid,
            [labels.podName]: pod.metadata?.name ?? '',
            [labels.podNamespace]: pod.metadata?.namespace ?? '',
            [labels.container]: infraName,
            [labels.attempt]: '0',
            [labels.kind]: 'infra',
          },
          HostConfig: {
            IpcMode: 'shareable',
            NetworkMode: 'bridge',
            ...(await podDnsHostConfig(pod, this.o.docker)),
          },
        }),
      'new-pod',
    );
    // Once its infra is created, the pod's own starts go ahead of other pods' infra (StartSlots).
    const ip = this.slots.run(() => created.start()).then(() => this.infraIP(created.id));
    // syncPod awaits it; this only keeps a failure before then from going unhandled.
    ip.catch(() => undefined);
    return { id: created.id, ip };
  }

  /** The container's run; a running one is inspected once, not at every sync. */
  private async runOf(c: ContainerInfo, runs: Map<string, ContainerRun>): Promise<ContainerRun> {
    const known = runs.get(c.Id);
    if (known?.running && c.State === 'running') return known;
    const info = await this.o.docker.getContainer(c.Id).inspect();
    const run: ContainerRun = {
      id: c.Id,
      imageID: `docker-pullable://${info.Image}`,
      attempt: attemptOf(c),
      running: info.State.Running,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      startedAt: info.State.StartedAt,
      finishedAt: info.State.FinishedAt,
    };
    runs.set(c.Id, run);
    return run;
  }

  /** Brings the node's containers of one pod to its spec and writes the pod's status. */
  async syncPod(pod: V1Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (pod.metadata?.deletionTimestamp) {
      await this.killPod(uid, pod.metadata.deletionGracePeriodSeconds ?? grace(pod), pod);
      this.notes.delete(uid);
      await this.o.core
        .deleteNamespacedPod({
          name: pod.metadata.name ?? '',
          namespace: pod.metadata.namespace ?? '',
          gracePeriodSeconds: 0,
        })
        .catch(() => undefined);
      return;
    }
    const notes = this.podNotes(uid);
    const existing = await this.podContainers(uid);
    for (const id of notes.runs.keys()) if (!existing.some((c) => c.Id === id)) notes.runs.delete(id);
    const phase = pod.status?.phase;
    const finished = phase === 'Succeeded' || phase === 'Failed';
    // The infra container, the API objects and the volume files do not depend on each other.
    const [infra, fetched] = await Promise.all([
      finished ? undefined : this.ensureInfra(pod, existing, notes.podIP),
      fetchPodSources(this.o.core, pod),
    ]);
    const sources = {
      ...fetched,
      nodeName: this.o.nodeName,
      hostIP: this.o.hostIP,
      podIP: notes.podIP ?? '',
      serviceAccountToken: (projection: V1ServiceAccountTokenProjection) =>
        this.tokens.token(pod, projection),
    };
    /** The pod's IP once its infra container runs; env naming status.podIP waits for it. */
    const podIP = async () => {
      if (infra) sources.podIP = notes.podIP = await infra.ip;
    };
    let volumeDirs = new Map<string, string>();
    let volumeError: string | undefined;
    try {
      volumeDirs = await prepareVolumes(pod, sources);
    } catch (err) {
      volumeError = (err as Error).message;
    }
    const byName = (name: string) =>
      existing.filter((c) => c.Labels[labels.container] === name).sort((a, b) => attemptOf(b) - attemptOf(a));
    /** What dockerd has of a container; `started` is the attempt this sync just started. */
    const observe = async (container: V1Container, started?: ContainerRun): Promise<ObservedContainer> => {
      const [latest, previous] = started ? [undefined, byName(container.name)[0]] : byName(container.name);
      const cn = this.containerNotes(notes, container.name);
      const run = started ?? (latest ? await this.runOf(latest, notes.runs) : undefined);
      return {
        name: container.name,
        image: container.image ?? '',
        ...(run ? { latest: run } : {}),
        ...(previous ? { previous: await this.runOf(previous, notes.runs) } : {}),
        ...(cn.waiting ? { waiting: cn.waiting } : {}),
        ready: cn.readiness ? cn.readiness.result === true : true,
        started: cn.startup ? cn.startup.result === true : true,
      };
    };
    const policy = pod.spec?.restartPolicy ?? 'Always';
    let serviceEnv: Promise<Record<string, string>> | undefined;
    const podServiceEnv = () => {
      serviceEnv ??= fetchPodServiceEnv(this.o.core, pod);
      return serviceEnv;
    };
    // A new pod starts containers: read its Services while its infra container starts.
    if (existing.length === 0 && infra) podServiceEnv().catch(() => undefined);
    /** Starts the container's next attempt; the run it started, or undefined with `waiting` set. */
    const start = async (
      container: V1Container,
      kind: 'init' | 'app',
      observed: ObservedContainer,
    ): Promise<ContainerRun | undefined> => {
      const cn = this.containerNotes(notes, container.name);
      if (!infra) return;
      const attempt = observed.latest ? observed.latest.attempt + 1 : 0;
      if (observed.latest) {
        const lastRunMs =
          Date.parse(observed.latest.finishedAt ?? '') - Date.parse(observed.latest.startedAt ?? '');
        const delay = crashBackoffMs(observed.latest.attempt, Number.isNaN(lastRunMs) ? 0 : lastRunMs);
        const endedAt = Date.parse(observed.latest.finishedAt ?? '') || 0;
        if (this.now() < endedAt + delay) {
          cn.waiting = {
            reason: 'CrashLoopBackOff',
            message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${container.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`,
          };
          return undefined;
        }
      }
      if (volumeError) {
        cn.waiting = { reason: 'CreateContainerConfigError', message: volumeError };
        return undefined;
      }
      const imageId = await this.ensureImage(container, cn);
      if (!imageId) return undefined;
      if (usesPodIP(container)) await podIP();
      let env: Record<string, string>;
      try {
        env = { ...(await podServiceEnv()), ...resolveEnv(pod, container, sources) };
      } catch (err) {
        if (!(err instanceof ContainerConfigError)) throw err;
        cn.waiting = { reason: err.reason, message: err.message };
        return undefined;
      }
      const created = await this.slots.run(() =>
        this.o.docker.createContainer(
          containerCreateOptions({ pod, container, kind, attempt, infraId: infra.id, env, volumeDirs }),
        ),
      );
      await podIP();
      await this.slots.run(() => created.start());
      cn.waiting = undefined;
      const startedAt = this.now();
      cn.runId = created.id;
      cn.readiness = container.readinessProbe
        ? new ProbeTracker(container.readinessProbe, startedAt)
        : undefined;
      cn.liveness = container.livenessProbe
        ? new ProbeTracker(container.livenessProbe, startedAt)
        : undefined;
      cn.startup = container.startupProbe ? new ProbeTracker(container.startupProbe, startedAt) : undefined;
      // Keep the latest ended attempt for `logs --previous`; older ones go.
      for (const old of byName(container.name).slice(1))
        await this.o.docker.getContainer(old.Id).remove({ force: true });
      const postStart = container.lifecycle?.postStart;
      if (postStart) {
        // As the kubelet: the container counts as started only once its postStart hook succeeded;
        // a failed hook kills it, and the restart policy decides what comes next.
        const failure = await runLifecycleHandler(
          postStart,
          this.hookTarget(pod, container, created.id),
          notes.hooks.signal,
        ).then(
          () => undefined,
          (err: Error) => err.message,
        );
        if (failure) {
          await this.stopContainer(pod, container, created.id, grace(pod));
          cn.waiting = { reason: 'PostStartHookError', message: failure };
          return undefined;
        }
      }
      // As started: dockerd's own view (an exit since, the exact start time) comes with the next sync.
      return {
        id: created.id,
        imageID: `docker-pullable://${imageId}`,
        attempt,
        running: true,
        exitCode: 0,
        oomKilled: false,
        startedAt: new Date(startedAt).toISOString(),
      };
    };

    const init: ObservedContainer[] = [];
    let initDone = true;
    for (const container of pod.spec?.initContainers ?? []) {
      let observed = await observe(container);
      if (initDone && !finished) {
        const ok = observed.latest && !observed.latest.running && observed.latest.exitCode === 0;
        if (!ok && !observed.latest?.running) {
          if (!observed.latest || policy !== 'Never')
            observed = await observe(container, await start(container, 'init', observed));
        }
        initDone = !!observed.latest && !observed.latest.running && observed.latest.exitCode === 0;
      }
      init.push(observed);
    }
    const containers: ObservedContainer[] = [];
    for (const container of pod.spec?.containers ?? []) {
      let observed = await observe(container);
      const latest = observed.latest;
      const restart =
        initDone &&
        !finished &&
        !latest?.running &&
        (!latest || policy === 'Always' || (policy === 'OnFailure' && latest.exitCode !== 0));
      if (restart) {
        observed = await observe(container, await start(container, 'app', observed));
      } else if (latest?.running) {
        await this.probe(pod, container, notes, latest.id);
        observed = await observe(container);
      }
      containers.push(observed);
    }
    if (infra) await podIP();
    const observedPod: ObservedPod = {
      hostIP: this.o.hostIP,
      ...(notes.podIP ? { podIP: notes.podIP } : {}),
      init,
      containers,
    };
    const status = computePodStatus(pod, observedPod);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      const infraContainer = existing.find((c) => c.Labels[labels.kind] === 'infra');
      if (infraContainer)
        await this.o.docker
          .getContainer(infraContainer.Id)
          .remove({ force: true })
          .catch(() => undefined);
    }
    const comparable = JSON.stringify({
      ...status,
      conditions: status.conditions?.map(({ lastTransitionTime, ...c }) => c),
      startTime: undefined,
    });
    if (comparable === notes.lastStatus) return;
    const body: V1Pod = { ...pod, metadata: { ...pod.metadata, resourceVersion: undefined }, status };
    await this.o.core.replaceNamespacedPodStatus({
      name: pod.metadata?.name ?? '',
      namespace: pod.metadata?.namespace ?? '',
      body,
    });
    notes.lastStatus = comparable;
  }

  private async probe(
    pod: V1Pod,
    container: V1Container,
    notes: PodNotes,
    containerId: string,
  ): Promise<void> {
    const cn = this.containerNotes(notes, container.name);
    const now = this.now();
    const target = this.hookTarget(pod, container, containerId);
    /** A probe's own grace period overrides the pod's, as with probe-level terminationGracePeriodSeconds. */
    const kill = (probe: V1Probe) =>
      this.stopContainer(pod, container, containerId, probe.terminationGracePeriodSeconds ?? grace(pod));
    if (cn.startup && cn.startup.result !== true) {
      if (cn.startup.due(now) && container.startupProbe) {
        const verdict = cn.startup.record(await runProbe(container.startupProbe, target), now);
        if (verdict === false) await kill(container.startupProbe);
      }
      return;
    }
    if (cn.liveness?.due(now) && container.livenessProbe) {
      const verdict = cn.liveness.record(await runProbe(container.livenessProbe, target), now);
      if (verdict === false) {
        this.o.log.info('liveness probe failed, restarting', {
          pod: pod.metadata?.name,
          container: container.name,
        });
        await kill(container.livenessProbe);
        return;
      }
    }
    if (cn.readiness?.due(now) && container.readinessProbe) {
      cn.readiness.record(await runProbe(container.readinessProbe, target), now);
    }
  }
}
