import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { appVersion } from '../appRoot';
import { ComposeError } from '../compose/composeError';
import { convertCompose } from '../compose/convert/convertCompose';
import type { ConvertOptions, VolumeKind } from '../compose/convert/convertOptions';
import { objectFileName, toJson, toYaml, toYamlStream } from '../compose/convert/serialize';
import { loadComposeProject } from '../compose/loadComposeProject';

// `kubedesk convert`: docker-compose files → Kubernetes manifests, taking kompose's flag names so
// kompose users need not relearn anything. https://kompose.io/user-guide/

export interface ConvertIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

const processIo = (): ConvertIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});

interface ConvertFlags {
  file: string[];
  envFile?: string;
  stdout?: boolean;
  out?: string;
  json?: boolean;
  yaml?: boolean;
  indent: number;
  provider: string;
  controller?: string;
  replicas?: number;
  volumes: string;
  emptyvols?: boolean;
  pvcRequestSize?: string;
  namespace?: string;
  generateNetworkPolicies?: boolean;
  withKomposeAnnotation: boolean;
  interpolate: boolean;
  profile: string[];
  serviceGroupMode?: string;
  serviceGroupName?: string;
  multipleContainerMode?: boolean;
  secretsAsFiles?: boolean;
  daemonSet?: boolean;
  deployment?: boolean;
  replicationController?: boolean;
  build: string;
  chart?: boolean;
  hostPathBindMounts?: boolean;
  waitForHealthy: boolean;
  servicesWithoutPorts?: boolean;
  verbose?: boolean;
  suppressWarnings?: boolean;
  errorOnWarning?: boolean;
}

const VOLUME_KINDS: VolumeKind[] = ['persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap'];

function collectFiles(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseBoolean(value: string | boolean): boolean {
  if (typeof value === 'boolean' || /^(true|1|t)$/i.test(value)) return true;
  if (/^(false|0|f)$/i.test(value)) return false;
  throw new InvalidArgumentError('expected true or false');
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

export function registerConvertCommand(program: Command, io: () => ConvertIo = processIo): void {
  program
    .command('convert')
    .description('convert docker-compose files to Kubernetes manifests (kompose-compatible flags)')
    .option(
      '-f, --file <file>',
      'compose file; repeat (or separate with commas) to merge several',
      collectFiles,
      [],
    )
    .option('--env-file <path>', 'env file for interpolation instead of .env beside the first compose file')
    .option('--stdout', 'print the objects to stdout as a YAML stream')
    .option(
      '-o, --out <path>',
      'write to this file, or to this folder (one file per object) if it ends with / or exists',
    )
    .option('-j, --json', 'write JSON files instead of YAML')
    .addOption(new Option('-y, --yaml', 'YAML output (the default)').hideHelp())
    .option('--indent <n>', 'spaces of YAML indentation', parseCount, 2)
    .option('--provider <provider>', 'only kubernetes is supported', 'kubernetes')
    .option('--controller <type>', 'workload kind: deployment, daemonset or statefulset')
    .option('--replicas <n>', 'replicas of every workload (default: deploy.replicas, else 1)', parseCount)
    .option('--volumes <kind>', `what volumes become: ${VOLUME_KINDS.join(', ')}`, 'persistentVolumeClaim')
    .addOption(new Option('--emptyvols', 'same as --volumes emptyDir').hideHelp())
    .option('--pvc-request-size <size>', 'storage request of generated claims (default 100Mi)')
    .option('-n, --namespace <namespace>', 'namespace of every object (a Namespace object is added)')
    .option('--generate-network-policies', 'a NetworkPolicy per compose network')
    .option(
      '--with-kompose-annotation [bool]',
      'keep kompose.* labels as annotations and add kompose.cmd/version',
      parseBoolean,
      true,
    )
    .option('--no-interpolate', 'keep variable references ($VAR) as written')
    .option('--profile <name>', 'activate a compose profile (repeatable)', collect, [])
    .option('--service-group-mode <mode>', 'one workload per group: label (kompose.service.group) or volume')
    .option('--service-group-name <name>', 'name of the workload with --service-group-mode=volume')
    .addOption(new Option('--multiple-container-mode', 'same as --service-group-mode=label').hideHelp())
    .option('--secrets-as-files', 'mount each secret as a file at its target path')
    .addOption(new Option('--daemon-set').hideHelp())
    .addOption(new Option('-d, --deployment').hideHelp())
    .addOption(new Option('--replication-controller').hideHelp())
    .addOption(new Option('-c, --chart').hideHelp())
    .option('--build <type>', 'image builds are not run; only none is supported', 'none')
    .option('--host-path-bind-mounts', 'bind mounts become hostPath volumes instead of claims or ConfigMaps')
    .option('--no-wait-for-healthy', 'do not turn depends_on service_healthy into wait-for init containers')
    .option(
      '--services-without-ports',
      'a headless Service for services without ports, so their names resolve',
    )
    .option('--verbose', 'also report the compose keys kompose drops without a word')
    .option('--suppress-warnings', 'print no warnings')
    .option('--error-on-warning', 'fail when there is any warning')
    .action((flags: ConvertFlags, command: Command) => runConvert(flags, command, io()));
}

function runConvert(flags: ConvertFlags, command: Command, io: ConvertIo): void {
  const options = convertOptions(flags, command);
  if (flags.out && flags.stdout)
    throw new InvalidArgumentError('--out and --stdout cannot be set at the same time');
  let project: ReturnType<typeof loadComposeProject>;
  let result: ReturnType<typeof convertCompose>;
  try {
    project = loadComposeProject({
      files: flags.file,
      envFile: flags.envFile,
      interpolate: flags.interpolate,
      profiles: flags.profile,
      env: io.env,
      cwd: io.cwd,
    });
    result = convertCompose(project, options);
  } catch (err) {
    if (err instanceof ComposeError) throw new Error(err.message.split('\n')[0], { cause: err });
    throw err;
  }
  const shown = result.warnings.filter((w) => w.kompose || flags.verbose);
  if (!flags.suppressWarnings) for (const warning of shown) io.stderr(`WARN ${warning.message}\n`);
  if (flags.errorOnWarning && shown.length > 0)
    throw new Error(`${shown.length} warning(s) and --error-on-warning is set`);
  writeOutput(result.objects, flags, io);
}

function convertOptions(flags: ConvertFlags, command: Command): Partial<ConvertOptions> {
  if (flags.provider.toLowerCase() !== 'kubernetes') {
    throw new InvalidArgumentError(`--provider ${flags.provider} is not supported: only kubernetes`);
  }
  if (flags.build !== 'none')
    throw new InvalidArgumentError('--build is not supported: build and push images yourself');
  if (flags.chart) throw new InvalidArgumentError('--chart is not supported');
  const volumes = flags.emptyvols ? 'emptyDir' : flags.volumes;
  if (!VOLUME_KINDS.includes(volumes as VolumeKind)) {
    throw new InvalidArgumentError(`unknown volume type ${volumes}: use ${VOLUME_KINDS.join(', ')}`);
  }
  let controller = flags.controller?.toLowerCase();
  if (flags.daemonSet) controller = 'daemonset';
  if (flags.deployment) controller = 'deployment';
  if (flags.replicationController)
    throw new InvalidArgumentError('--replication-controller is not supported');
  if (controller && !['deployment', 'daemonset', 'statefulset'].includes(controller)) {
    throw new InvalidArgumentError(
      `unknown controller ${flags.controller}: use deployment, daemonset or statefulset`,
    );
  }
  const groupMode = flags.multipleContainerMode ? 'label' : flags.serviceGroupMode;
  if (groupMode && groupMode !== 'label' && groupMode !== 'volume') {
    throw new InvalidArgumentError(`unknown --service-group-mode ${groupMode}: use label or volume`);
  }
  const replicasSet = command.getOptionValueSource('replicas') === 'cli';
  return {
    controller,
    replicas: flags.replicas ?? 1,
    replicasFlagSet: replicasSet,
    volumes: volumes as VolumeKind,
    pvcRequestSize: flags.pvcRequestSize,
    namespace: flags.namespace,
    generateNetworkPolicies: flags.generateNetworkPolicies ?? false,
    withKomposeAnnotation: flags.withKomposeAnnotation,
    command: `kubedesk ${process.argv.slice(2).join(' ')}`.trim(),
    version: `kubedesk ${appVersion}`,
    serviceGroupMode: groupMode as ConvertOptions['serviceGroupMode'],
    serviceGroupName: flags.serviceGroupName,
    secretsAsFiles: flags.secretsAsFiles ?? false,
    hostPathBindMounts: flags.hostPathBindMounts ?? false,
    waitForHealthyDependencies: flags.waitForHealthy,
    servicesWithoutPorts: flags.servicesWithoutPorts ?? false,
  };
}

function writeOutput(objects: Parameters<typeof toYamlStream>[0], flags: ConvertFlags, io: ConvertIo): void {
  const format = flags.json ? 'json' : 'yaml';
  const out = flags.out === '-' ? undefined : flags.out && resolve(io.cwd, flags.out);
  const toStdout = flags.stdout || flags.out === '-';
  const toFolder =
    !toStdout && (!out || /[\\/]$/.test(flags.out ?? '') || (existsSync(out) && statSync(out).isDirectory()));
  if (format === 'json' && !toFolder) {
    throw new InvalidArgumentError(
      'cannot convert to one file while specifying a json output file or stdout option',
    );
  }
  if (toStdout) {
    io.stdout(toYamlStream(objects, flags.indent));
  } else if (!toFolder && out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, toYamlStream(objects, flags.indent));
    io.stderr(`INFO Kubernetes file "${flags.out}" created\n`);
  } else {
    const folder = out ?? io.cwd;
    mkdirSync(folder, { recursive: true });
    for (const object of objects) {
      const path = join(folder, objectFileName(object, format));
      writeFileSync(path, format === 'json' ? toJson(object) : toYaml(object, flags.indent));
      io.stderr(`INFO Kubernetes file "${path}" created\n`);
    }
  }
}
