import { PassThrough, type Readable } from 'node:stream';
import Docker from 'dockerode';
import { type Logger, nullLogger } from '../../log';
import { labelKeys, roles } from '../labels';
import { dockerNetworks } from './dockerNetworks';
import { nodeContainerOptions, toHandle } from './dockerNodeContainer';
import { demuxLogs, followProgress } from './dockerStreams';
import { ignoreIf, isConflict, isNotFound, isNotModified } from './engineErrors';
import type {
  ExecOptions,
  ExecResult,
  ImageBuildOptions,
  ImageImportOptions,
  ImageInfo,
  NodeHandle,
  NodeProvider,
  NodeSecurityMode,
  NodeSpec,
} from './nodeProvider';

// NodeProvider over the Docker Engine API (dockerode).

export interface DockerProviderOptions {
  docker?: Docker;
  log?: Logger;
  /** Skip detection and create nodes in this mode. */
  securityMode?: NodeSecurityMode;
  /** Seconds the engine waits for a node to stop before killing it (the node itself needs about one). */
  stopTimeoutSeconds?: number;
}

export interface DockerProvider extends NodeProvider {
  readonly docker: Docker;
  /** The mode nodes are created in, once the first node has found out. */
  securityMode(): NodeSecurityMode | undefined;
}

/** `repo:tag` → the separate fields `docker import` takes (a registry port is not a tag). */
const splitTag = (ref: string) => {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repo: ref, tag: 'latest' };
};

export function createDockerProvider(options: DockerProviderOptions = {}): DockerProvider {
  const docker = options.docker ?? new Docker();
  const log = options.log ?? nullLogger;
  const stopTimeout = options.stopTimeoutSeconds ?? 5;
  let mode: Promise<NodeSecurityMode | undefined> | undefined = options.securityMode
    ? Promise.resolve(options.securityMode)
    : undefined;
  let knownMode = options.securityMode;
  const networks = dockerNetworks(docker);
  const createWith = async (spec: NodeSpec, securityMode: NodeSecurityMode): Promise<NodeHandle> => {
    const container = await docker.createContainer(nodeContainerOptions(spec, securityMode, stopTimeout));
    try {
      await container.start();
    } catch (err) {
      await container.remove({ force: true }).catch(ignoreIf(isNotFound));
      throw err;
    }
    return toHandle(await container.inspect());
  };

  /** The mode existing Kubedesk nodes on this engine were created in, so detection runs once per engine. */
  const rememberedMode = async (): Promise<NodeSecurityMode | undefined> => {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${labelKeys.role}=${roles.node}`, labelKeys.mode] },
    });
    const value = containers[0]?.Labels[labelKeys.mode];
    return value === 'privileged' || value === 'capabilities' ? value : undefined;
  };

  /** Creates the first node privileged; if the engine refuses, every node from then on uses capabilities. */
  const detectAndCreate = async (spec: NodeSpec): Promise<NodeHandle> => {
    let settle: (value: NodeSecurityMode | undefined) => void = () => {};
    mode = new Promise((resolve) => {
      settle = resolve;
    });
    try {
      const handle = await createWith(spec, 'privileged');
      knownMode = 'privileged';
      settle('privileged');
      return handle;
    } catch (err) {
      // A name conflict or a missing image says nothing about privileges.
      if (isConflict(err) || isNotFound(err)) {
        mode = undefined;
        settle(undefined);
        throw err;
      }
      log.info('privileged node containers refused; using an explicit capability set', {
        error: String(err),
      });
    }
    try {
      const handle = await createWith(spec, 'capabilities');
      knownMode = 'capabilities';
      settle('capabilities');
      return handle;
    } catch (err) {
      mode = undefined;
      settle(undefined);
      throw err;
    }
  };

  const createNode = async (spec: NodeSpec): Promise<NodeHandle> => {
    await docker.createVolume({
      Name: spec.volume,
      Labels: { [labelKeys.cluster]: spec.cluster, [labelKeys.role]: roles.volume },
    });
    for (;;) {
      if (!mode) {
        // Set before awaiting, so nodes created at the same time wait for one answer.
        mode = rememberedMode().catch(() => undefined);
        const remembered = await mode;
        if (remembered) {
          knownMode = remembered;
          continue;
        }
        return detectAndCreate(spec);
      }
      const known = await mode;
      if (known) return createWith(spec, known);
    }
  };

  const exec = async (
    node: NodeHandle,
    argv: string[],
    execOptions: ExecOptions = {},
  ): Promise<ExecResult> => {
    const { stdin, signal } = execOptions;
    const execution = await docker.getContainer(node.id).exec({
      Cmd: argv,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: !!stdin,
      abortSignal: signal,
    });
    const stream = await execution.start({ hijack: true, stdin: !!stdin, abortSignal: signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on('data', (chunk: Buffer) => out.push(chunk));
    const stderr = new PassThrough().on('data', (chunk: Buffer) => err.push(chunk));
    docker.modem.demuxStream(stream, stdout, stderr);
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    if (stdin) {
      // Half-close after the input so the command sees end of file, as `docker exec -i` does.
      stdin.on('error', (e) => stream.destroy(e));
      stdin.pipe(stream as unknown as NodeJS.WritableStream);
    }
    await finished;
    const info = await execution.inspect();
    return {
      exitCode: info.ExitCode ?? -1,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  };

  return {
    docker,
    securityMode: () => knownMode,
    ...networks,

    createNode,

    async startNode(node) {
      const container = docker.getContainer(node.id);
      await container.start().catch(ignoreIf(isNotModified));
      return toHandle(await container.inspect());
    },

    async stopNode(node) {
      await docker.getContainer(node.id).stop({ t: stopTimeout }).catch(ignoreIf(isNotModified));
    },

    async listNodes(cluster) {
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`${labelKeys.cluster}=${cluster}`, `${labelKeys.role}=${roles.node}`] },
      });
      const handles = await Promise.all(
        containers.map((c) => docker.getContainer(c.Id).inspect().then(toHandle, ignoreIf(isNotFound))),
      );
      return handles.filter((h): h is NodeHandle => !!h).sort((a, b) => a.index - b.index);
    },

    async removeNodes(nodes) {
      await Promise.all(
        nodes.map(async (node) => {
          await docker.getContainer(node.id).remove({ force: true }).catch(ignoreIf(isNotFound));
          if (node.volume) await docker.getVolume(node.volume).remove().catch(ignoreIf(isNotFound));
        }),
      );
    },

    async removeVolumes(cluster) {
      const { Volumes } = await docker.listVolumes({
        filters: { label: [`${labelKeys.cluster}=${cluster}`] },
      });
      for (const volume of Volumes ?? []) {
        await docker.getVolume(volume.Name).remove().catch(ignoreIf(isNotFound));
      }
    },

    exec,

    async nodeLogs(node, tailLines) {
      const raw = await docker
        .getContainer(node.id)
        .logs({ stdout: true, stderr: true, tail: tailLines, follow: false });
      return demuxLogs(raw).trim();
    },

    async putArchive(node, path, tar) {
      await docker.getContainer(node.id).putArchive(tar, { path });
    },

    async inspectImage(ref): Promise<ImageInfo | undefined> {
      try {
        const info = await docker.getImage(ref).inspect();
        return { id: info.Id, labels: info.Config?.Labels ?? {} };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async importImage(rootfsTar: Readable, importOptions: ImageImportOptions) {
      const stream = await docker.importImage(rootfsTar, {
        ...splitTag(importOptions.tag),
        changes: importOptions.changes,
      });
      await followProgress(docker, stream);
    },

    async buildImage(contextTar: NodeJS.ReadableStream, buildOptions: ImageBuildOptions) {
      const stream = await docker.buildImage(contextTar, {
        t: buildOptions.tag,
        labels: buildOptions.labels,
        pull: true,
      });
      await followProgress(docker, stream, (entry) => {
        const line = (entry.stream ?? entry.status ?? '').trim();
        if (line) buildOptions.onOutput?.(line);
      });
    },

    async listImages(label) {
      const images = await docker.listImages({ filters: { label: [label] } });
      return images.map((image) => ({
        id: image.Id,
        tags: image.RepoTags ?? [],
        labels: image.Labels ?? {},
      }));
    },

    async removeImage(ref) {
      await docker.getImage(ref).remove().catch(ignoreIf(isNotFound));
    },

    async saveImage(ref) {
      return (await docker.getImage(ref).get()) as Readable;
    },
  };
}
