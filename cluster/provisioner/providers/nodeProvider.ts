import type { Readable } from 'node:stream';

// The provisioner talks to a container engine only through this interface: `dockerProvider.ts`
// implements it with dockerode, `fakeProvider.ts` in memory for unit tests.

export interface NetworkSpec {
  name: string;
  cluster: string;
  /** Subnets to try in order; the first one not overlapping an existing network is used. */
  candidateSubnets: string[];
}

export interface NetworkInfo {
  name: string;
  id: string;
  subnet: string;
  gateway: string;
}

/** One node container as planned by `planNodes`; the provider creates exactly this. */
export interface NodeSpec {
  cluster: string;
  name: string;
  /** 1-based; selects the pod CIDR 10.244.<index>.0/24. */
  index: number;
  hostname: string;
  image: string;
  network: string;
  /** Fixed address on the cluster network, so a node keeps it across stop/start. */
  ip: string;
  podCidr: string;
  /** The inner dockerd's bridge address (`--bip`). */
  bridgeIp: string;
  /** Named volume holding the node's /var/lib/docker. */
  volume: string;
  /** Port of the kubelet API inside the node, published to 127.0.0.1 on a random host port. */
  kubeletPort: number;
  /** `host:ip` entries for /etc/hosts (`host.docker.internal` → the cluster network gateway on Linux). */
  extraHosts: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
}

/** How node containers get the rights dockerd needs inside them. */
export type NodeSecurityMode = 'privileged' | 'capabilities';

export interface NodeHandle {
  id: string;
  name: string;
  cluster: string;
  index: number;
  image: string;
  ip: string;
  podCidr: string;
  volume: string;
  running: boolean;
  mode: NodeSecurityMode;
  /** Host port (on 127.0.0.1) of the node's kubelet API, while running. */
  kubeletHostPort?: number;
  labels: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Streamed to the command's standard input, which is closed when the stream ends. */
  stdin?: Readable;
  signal?: AbortSignal;
}

export interface ImageInfo {
  id: string;
  labels: Record<string, string>;
}

export interface ImageImportOptions {
  tag: string;
  /** Dockerfile instructions applied to the imported root filesystem (`docker import --change`). */
  changes: string[];
}

export interface ImageBuildOptions {
  tag: string;
  labels: Record<string, string>;
  /** One line of build output at a time. */
  onOutput?: (line: string) => void;
}

export interface NodeProvider {
  ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  removeNetwork(name: string): Promise<void>;
  /** Creates the node's volume and container and starts it. */
  createNode(spec: NodeSpec): Promise<NodeHandle>;
  startNode(node: NodeHandle): Promise<NodeHandle>;
  stopNode(node: NodeHandle): Promise<void>;
  listNodes(cluster: string): Promise<NodeHandle[]>; // label filter
  /** Removes the containers and their volumes. */
  removeNodes(nodes: NodeHandle[]): Promise<void>;
  /** Removes every volume labelled with the cluster (also ones whose container never got created). */
  removeVolumes(cluster: string): Promise<void>;
  exec(node: NodeHandle, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  /** The last lines the node's entrypoint printed (why a node stopped while starting). */
  nodeLogs(node: NodeHandle, tailLines: number): Promise<string>;
  /** Extracts a tar stream into a directory of the node (which must exist). */
  putArchive(node: NodeHandle, path: string, tar: Readable): Promise<void>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  importImage(rootfsTar: Readable, options: ImageImportOptions): Promise<void>;
  buildImage(contextTar: NodeJS.ReadableStream, options: ImageBuildOptions): Promise<void>;
  /** Host images carrying a label (`key` or `key=value`). */
  listImages(label: string): Promise<(ImageInfo & { tags: string[] })[]>;
  /** Removes a host image; an image still used by a container is refused (409). */
  removeImage(ref: string): Promise<void>;
  /** `docker save` of one image from the host engine. */
  saveImage(ref: string): Promise<Readable>;
}
