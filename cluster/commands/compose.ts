import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { appVersion } from '../appRoot';
import { ComposeError } from '../compose/composeError';
import { convertCompose } from '../compose/convert/convertCompose';
import type { ConvertOptions, VolumeKind } from '../compose/convert/convertOptions';
import { imageBuildsOf } from '../compose/deploy/buildImages';
import { composeDown } from '../compose/deploy/composeDown';
import type { ComposeProgress } from '../compose/deploy/composeEvents';
import { composePs } from '../compose/deploy/composePs';
import { composeUp } from '../compose/deploy/composeUp';
import { loadComposeProject } from '../compose/loadComposeProject';
import type { ComposeProject } from '../compose/types';
import { readHostState } from '../host/hostState';
import { globalOptions } from './globalOptions';

// `kubedesk compose up|down|ps`: a compose project on this installation's cluster, the way
// `docker compose` runs one on a Docker engine.

export interface ComposeIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

const processIo = (): ComposeIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});

interface ProjectFlags {
  file: string[];
  projectName?: string;
  envFile?: string;
  profile: string[];
  namespace?: string;
}

interface UpFlags extends ProjectFlags {
  timeout: number;
  wait: boolean;
  controller?: string;
  volumes: string;
}

const VOLUME_KINDS: VolumeKind[] = ['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap'];
const CONTROLLERS = ['deployment', 'daemonset', 'statefulset'];

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}

function projectOptions(command: Command): Command {
  return command
    .option(
      '-f, --file <file>',
      'compose file; repeat to merge several (default: compose.yaml and friends)',
      collect,
      [],
    )
    .option('-p, --project-name <name>', 'project name (default: name: in the file, else the folder name)')
    .option('--env-file <path>', 'env file for interpolation instead of .env beside the first compose file')
    .option('--profile <name>', 'activate a compose profile (repeatable)', collect, [])
    .option('-n, --namespace <namespace>', 'Kubernetes namespace');
}

export function registerComposeCommand(program: Command, io: () => ComposeIo = processIo): void {
  const compose = program
    .command('compose')
    .description("run a docker-compose project on this installation's cluster");

  projectOptions(compose.command('up'))
    .description('build images, apply the converted objects (server-side apply) and wait for each service')
    .option('--timeout <seconds>', 'how long to wait for the services to be ready', parseSeconds, 300)
    .option('--no-wait', 'return once the objects are applied')
    .option('--controller <type>', `workload kind for every service: ${CONTROLLERS.join(', ')}`)
    .option('--volumes <kind>', `what volumes become: ${VOLUME_KINDS.join(', ')}`, 'persistentVolumeClaim')
    .action((flags: UpFlags, command: Command) => runUp(flags, command, io()));

  projectOptions(compose.command('down'))
    .description('remove what compose up created for the project (claims too with -v)')
    .option('-v, --volumes', 'also remove the persistent volume claims (the data)')
    .action(async (flags: ProjectFlags & { volumes?: boolean }, command: Command) => {
      const out = io();
      const kubeconfigPath = clusterKubeconfig(command);
      const project = projectNameOf(flags, out);
      const result = await composeDown({
        kubeconfigPath,
        project,
        volumes: flags.volumes ?? false,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
        onProgress: progressPrinter(out),
      });
      for (const ref of result.removed)
        out.stdout(
          `removed ${ref.kind.toLowerCase()}/${ref.name}${ref.namespace ? ` (${ref.namespace})` : ''}\n`,
        );
      for (const ref of result.kept)
        out.stdout(`kept ${ref.kind.toLowerCase()}/${ref.name} (${ref.namespace}): remove it with -v\n`);
      if (result.removed.length === 0 && result.kept.length === 0)
        out.stdout(`nothing to remove for ${project}\n`);
    });

  projectOptions(compose.command('ps'))
    .description("list the project's objects in the cluster with their status")
    .action(async (flags: ProjectFlags, command: Command) => {
      const out = io();
      const kubeconfigPath = clusterKubeconfig(command);
      const project = projectNameOf(flags, out);
      const rows = await composePs({
        kubeconfigPath,
        project,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
      });
      if (rows.length === 0) {
        out.stdout(`no objects of project ${project} in the cluster\n`);
        return;
      }
      out.stdout(
        table([
          ['SERVICE', 'KIND', 'NAME', 'NAMESPACE', 'STATUS', 'ADDRESSES'],
          ...rows.map((r) => [r.service, r.kind, r.name, r.namespace, r.status, r.addresses.join(', ')]),
        ]),
      );
    });
}

/** The cluster of the installation named by --data-dir, or an error saying how to start it. */
function clusterKubeconfig(command: Command): string {
  const { dataDir } = globalOptions(command);
  const host = readHostState(dataDir);
  if (host?.cluster.state !== 'running') {
    const why = host
      ? `the cluster is ${host.cluster.state}: ${host.cluster.message}`
      : 'Kubedesk is not running';
    throw new Error(`Kubernetes is not running for ${dataDir} (${why}): start it with kubedesk start`);
  }
  return host.kubeconfigPath ?? join(dataDir, 'kubeconfig');
}

function loadProject(flags: ProjectFlags, io: ComposeIo): ComposeProject {
  try {
    return loadComposeProject({
      files: flags.file,
      interpolate: true,
      profiles: flags.profile,
      env: io.env,
      cwd: io.cwd,
      ...(flags.envFile ? { envFile: flags.envFile } : {}),
      ...(flags.projectName ? { projectName: flags.projectName } : {}),
    });
  } catch (err) {
    if (err instanceof ComposeError) throw new Error(err.message.split('\n')[0], { cause: err });
    throw err;
  }
}

function projectNameOf(flags: ProjectFlags, io: ComposeIo): string {
  return flags.projectName ?? loadProject(flags, io).name;
}

async function runUp(flags: UpFlags, command: Command, io: ComposeIo): Promise<void> {
  const controller = flags.controller?.toLowerCase();
  if (controller && !CONTROLLERS.includes(controller))
    throw new InvalidArgumentError(`unknown controller ${flags.controller}: use ${CONTROLLERS.join(', ')}`);
  if (!VOLUME_KINDS.includes(flags.volumes as VolumeKind))
    throw new InvalidArgumentError(`unknown volume type ${flags.volumes}: use ${VOLUME_KINDS.join(', ')}`);
  const project = loadProject(flags, io);
  const options: Partial<ConvertOptions> = {
    volumes: flags.volumes as VolumeKind,
    command: `kubedesk ${process.argv.slice(2).join(' ')}`.trim(),
    version: `kubedesk ${appVersion}`,
    ...(controller ? { controller } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  };
  let conversion: ReturnType<typeof convertCompose>;
  try {
    conversion = convertCompose(project, options);
  } catch (err) {
    if (err instanceof ComposeError) throw new Error(err.message.split('\n')[0], { cause: err });
    throw err;
  }
  // Invalid files fail above, before anything is applied; so does a stopped cluster, here.
  const kubeconfigPath = clusterKubeconfig(command);
  for (const warning of conversion.warnings.filter((w) => w.kompose)) io.stderr(`WARN ${warning.message}\n`);
  const builds = imageBuildsOf(project);
  const result = await composeUp({
    kubeconfigPath,
    objects: conversion.objects,
    project: project.name,
    namespace: flags.namespace ?? 'default',
    wait: flags.wait,
    timeoutMs: flags.timeout * 1000,
    builds,
    onProgress: progressPrinter(io),
  });
  io.stdout(
    table([
      ['SERVICE', 'STATE', 'MESSAGE', 'ADDRESSES'],
      ...result.services.map((s) => [s.service, s.state, s.message, s.addresses.join(', ')]),
    ]),
  );
  const failed = result.services.filter((s) => s.state === 'failed');
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${result.services.length} services failed in ${result.namespace}: ${failed.map((s) => s.service).join(', ')}`,
    );
  }
}

/** One line per step on stderr, like docker compose's plain progress; of the build's output, its steps. */
function progressPrinter(io: ComposeIo): (progress: ComposeProgress) => void {
  return (p) => {
    if (p.phase === 'build' && p.state === 'running' && !/^(building |Step \d)/.test(p.message ?? '')) return;
    const text = p.state === 'failed' ? `failed: ${p.error}` : (p.message ?? p.state);
    io.stderr(`[${p.service}] ${p.phase}: ${text}\n`);
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
