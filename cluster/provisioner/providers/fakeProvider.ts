import { Readable } from 'node:stream';
import { overlapCidr } from 'cidr-tools';
import { extract } from 'tar-stream';
import { labelKeys } from '../labels';
import { engineError } from './engineErrors';
import type {
  ExecResult,
  ImageInfo,
  NetworkInfo,
  NodeHandle,
  NodeProvider,
  NodeSecurityMode,
  NodeSpec,
} from './nodeProvider';

// An in-memory NodeProvider for unit tests: it keeps what a real engine would (networks, node
// containers, volumes, images, files written into nodes) and records every exec.

export type ExecHandler = (
  node: NodeHandle,
  argv: string[],
  stdin?: Buffer,
) => ExecResult | Promise<ExecResult>;

export interface FakeProvider extends NodeProvider {
  networks: Map<string, NetworkInfo & { cluster: string }>;
  nodes: Map<string, NodeHandle>;
  volumes: Set<string>;
  images: Map<string, ImageInfo>;
  /** Files put into nodes: node name → absolute path → content. */
  files: Map<string, Map<string, Buffer>>;
  execs: { node: string; argv: string[]; stdin?: Buffer }[];
  /** What `nodeLogs` returns, by node name. */
  logs: Map<string, string>;
  /** Makes the next call of `method` (optionally only for one node name) fail with `error`. */
  failNext(method: keyof NodeProvider, error: Error, nodeName?: string): void;
  setExecHandler(handler: ExecHandler): void;
}

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

async function untar(stream: Readable, into: Map<string, Buffer>, base: string) {
  const entries = extract();
  const done = new Promise<void>((resolve, reject) => {
    entries.on('entry', (header, body, next) => {
      readAll(body as unknown as Readable).then((content) => {
        if (header.type === 'file') into.set(`${base.replace(/\/$/, '')}/${header.name}`, content);
        next();
      }, reject);
    });
    entries.on('finish', resolve);
    entries.on('error', reject);
  });
  stream.pipe(entries as unknown as NodeJS.WritableStream);
  await done;
}

export function createFakeProvider(options: { securityMode?: NodeSecurityMode } = {}): FakeProvider {
  const mode = options.securityMode ?? 'capabilities';
  const failures: { method: keyof NodeProvider; error: Error; nodeName?: string }[] = [];
  let execHandler: ExecHandler = () => ({ exitCode: 0, stdout: '', stderr: '' });
  let nextId = 1;
  let nextPort = 40000;

  const maybeFail = (method: keyof NodeProvider, nodeName?: string) => {
    const index = failures.findIndex((f) => f.method === method && (!f.nodeName || f.nodeName === nodeName));
    if (index < 0) return;
    const [failure] = failures.splice(index, 1);
    if (failure) throw failure.error;
  };
  const known = (node: NodeHandle) => {
    const current = fake.nodes.get(node.name);
    if (!current) throw engineError(404, `No such container: ${node.name}`);
    return current;
  };

  const fake: FakeProvider = {
    networks: new Map(),
    nodes: new Map(),
    volumes: new Set(),
    images: new Map(),
    files: new Map(),
    execs: [],
    logs: new Map(),
    failNext: (method, error, nodeName) => failures.push({ method, error, nodeName }),
    setExecHandler: (handler) => {
      execHandler = handler;
    },

    async ensureNetwork(spec) {
      maybeFail('ensureNetwork');
      const existing = fake.networks.get(spec.name);
      if (existing) return existing;
      const used = [...fake.networks.values()].map((n) => n.subnet);
      const subnet = spec.candidateSubnets.find((s) => !used.some((u) => overlapCidr(u, s)));
      if (!subnet) throw new Error(`no free subnet for network ${spec.name}`);
      const info = {
        name: spec.name,
        id: `net-${nextId++}`,
        subnet,
        gateway: subnet.replace(/\.0\/\d+$/, '.1'),
        cluster: spec.cluster,
      };
      fake.networks.set(spec.name, info);
      return info;
    },
    async removeNetwork(name) {
      maybeFail('removeNetwork');
      fake.networks.delete(name);
    },
    async createNode(spec: NodeSpec) {
      maybeFail('createNode', spec.name);
      if (fake.nodes.has(spec.name))
        throw engineError(409, `Conflict. The container name "/${spec.name}" is already in use`);
      if (!fake.images.has(spec.image)) throw engineError(404, `No such image: ${spec.image}`);
      if (!fake.networks.has(spec.network)) throw engineError(404, `network ${spec.network} not found`);
      fake.volumes.add(spec.volume);
      const handle: NodeHandle = {
        id: `container-${nextId++}`,
        name: spec.name,
        cluster: spec.cluster,
        index: spec.index,
        image: spec.image,
        ip: spec.ip,
        podCidr: spec.podCidr,
        volume: spec.volume,
        running: true,
        mode,
        kubeletHostPort: nextPort++,
        labels: { ...spec.labels, [labelKeys.mode]: mode },
      };
      fake.nodes.set(spec.name, handle);
      return handle;
    },
    async startNode(node) {
      maybeFail('startNode', node.name);
      const current = known(node);
      current.running = true;
      current.kubeletHostPort = nextPort++;
      return { ...current };
    },
    async stopNode(node) {
      maybeFail('stopNode', node.name);
      const current = known(node);
      current.running = false;
      delete current.kubeletHostPort;
    },
    async listNodes(cluster) {
      maybeFail('listNodes');
      return [...fake.nodes.values()]
        .filter((node) => node.cluster === cluster)
        .map((node) => ({ ...node }))
        .sort((a, b) => a.index - b.index);
    },
    async removeNodes(nodes) {
      maybeFail('removeNodes');
      for (const node of nodes) {
        fake.nodes.delete(node.name);
        fake.files.delete(node.name);
        fake.volumes.delete(node.volume);
      }
    },
    async removeVolumes(cluster) {
      maybeFail('removeVolumes');
      for (const volume of fake.volumes) if (volume.startsWith(`${cluster}-`)) fake.volumes.delete(volume);
    },
    async exec(node, argv, execOptions = {}) {
      maybeFail('exec', node.name);
      const current = known(node);
      if (!current.running) throw engineError(409, `Container ${current.id} is not running`);
      const stdin = execOptions.stdin ? await readAll(execOptions.stdin) : undefined;
      fake.execs.push({ node: node.name, argv, ...(stdin ? { stdin } : {}) });
      return execHandler(current, argv, stdin);
    },
    async nodeLogs(node, tailLines) {
      known(node);
      return (fake.logs.get(node.name) ?? '').split('\n').slice(-tailLines).join('\n');
    },
    async putArchive(node, path, tar) {
      maybeFail('putArchive', node.name);
      known(node);
      const files = fake.files.get(node.name) ?? new Map<string, Buffer>();
      fake.files.set(node.name, files);
      await untar(tar, files, path);
    },
    async inspectImage(ref) {
      maybeFail('inspectImage');
      return fake.images.get(ref);
    },
    async importImage(rootfsTar, importOptions) {
      maybeFail('importImage');
      await readAll(rootfsTar);
      const labels = Object.fromEntries(
        importOptions.changes.flatMap((change) => {
          const match = /^LABEL ([^=]+)=(.*)$/.exec(change);
          return match?.[1] ? [[match[1], match[2] ?? '']] : [];
        }),
      );
      fake.images.set(importOptions.tag, { id: `sha256:imported-${nextId++}`, labels });
    },
    async buildImage(contextTar, buildOptions) {
      maybeFail('buildImage');
      await readAll(contextTar as Readable);
      fake.images.set(buildOptions.tag, { id: `sha256:built-${nextId++}`, labels: buildOptions.labels });
    },
    async listImages(label) {
      maybeFail('listImages');
      const [key, value] = label.split('=');
      return [...fake.images.entries()]
        .filter(
          ([, image]) =>
            key !== undefined && key in image.labels && (value === undefined || image.labels[key] === value),
        )
        .map(([tag, image]) => ({ ...image, tags: [tag] }));
    },
    async removeImage(ref) {
      maybeFail('removeImage');
      if ([...fake.nodes.values()].some((node) => node.image === ref)) {
        throw engineError(
          409,
          `conflict: unable to remove repository reference "${ref}" (must force) - container is using its referenced image`,
        );
      }
      fake.images.delete(ref);
    },
    async saveImage(ref) {
      maybeFail('saveImage');
      const image = fake.images.get(ref);
      if (!image) throw engineError(404, `No such image: ${ref}`);
      return Readable.from([Buffer.from(`saved ${ref} ${image.id}`)]);
    },
  };
  return fake;
}

/** A fake engine holding one running node container, `k-node-1` of cluster `k`, from host image `node`. */
export async function createFakeProviderWithNode(): Promise<{ provider: FakeProvider; node: NodeHandle }> {
  const provider = createFakeProvider();
  provider.images.set('node', { id: 'sha256:node', labels: {} });
  await provider.ensureNetwork({ name: 'k-net', cluster: 'k', candidateSubnets: ['172.30.0.0/24'] });
  const node = await provider.createNode({
    cluster: 'k',
    name: 'k-node-1',
    index: 1,
    hostname: 'k-node-1',
    image: 'node',
    network: 'k-net',
    ip: '172.30.0.11',
    podCidr: '10.244.1.0/24',
    bridgeIp: '10.244.1.1/24',
    volume: 'k-node-1-docker',
    kubeletPort: 10250,
    extraHosts: [],
    env: {},
    labels: {},
  });
  return { provider, node };
}
