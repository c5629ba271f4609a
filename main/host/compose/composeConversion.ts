import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { appVersion } from '../../../cluster/appRoot';
import { ComposeError } from '../../../cluster/compose/composeError';
import { convertCompose } from '../../../cluster/compose/convert/convertCompose';
import type { ConvertOptions, VolumeKind } from '../../../cluster/compose/convert/convertOptions';
import { toYaml } from '../../../cluster/compose/convert/serialize';
import type { ConversionWarning } from '../../../cluster/compose/convert/warnings';
import { type ImageBuild, imageBuildsOf } from '../../../cluster/compose/deploy/buildImages';
import { groupObjectsByService, sharedGroup } from '../../../cluster/compose/deploy/objectsByService';
import { loadComposeProject } from '../../../cluster/compose/loadComposeProject';
import type { ComposeConversion, ComposeConvertRequest, ComposeServiceView } from './composeContract';

// Converts a compose project for the Compose import page: files uploaded from the renderer (written
// into a temporary folder first, since an upload has no folder around it) or paths on this computer.

export interface ConvertSourceOptions {
  /** Environment for interpolation; default this process's. */
  env?: Record<string, string | undefined>;
  /** Where uploads are written; default the system's temporary folder. */
  tempRoot?: string;
}

export interface SourceConversion {
  view: ComposeConversion;
  /** The objects to apply; empty when the files are invalid. */
  objects: KubernetesObject[];
  /** Images to build before applying; none for uploads (no build context came with them). */
  builds: ImageBuild[];
}

const volumeKinds: Record<ComposeConvertRequest['options']['volumes'], VolumeKind> = {
  pvc: 'persistentVolumeClaim',
  hostPath: 'hostPath',
  emptyDir: 'emptyDir',
};

export const uploadNotice =
  'Uploaded files have no folder around them: they were written to a temporary folder, so env_file, ' +
  'configs, secrets and bind mounts only find the files you uploaded together with the compose file. ' +
  'build: sections cannot be built from an upload; open the project from disk with `kubedesk compose up -f` instead.';

export function convertComposeSource(
  request: ComposeConvertRequest,
  options: ConvertSourceOptions = {},
): SourceConversion {
  const { source } = request;
  let upload: Upload | undefined;
  if (source.kind === 'upload') {
    try {
      upload = writeUpload(source, options.tempRoot ?? tmpdir());
    } catch (err) {
      if (err instanceof UploadError) return failed(request, { message: err.message }, undefined);
      throw err;
    }
  }
  const files = source.kind === 'paths' ? source.files : (upload?.files ?? []);
  try {
    return convertFiles(request, files, {
      cwd: upload?.dir ?? dirname(files[0] ?? '.'),
      env: options.env ?? process.env,
      uploadDir: upload?.dir,
    });
  } finally {
    if (upload) rmSync(upload.root, { recursive: true, force: true });
  }
}

interface Upload {
  root: string;
  /** The project folder the files were written into. */
  dir: string;
  /** The compose files, in merge order. */
  files: string[];
}

class UploadError extends Error {}

/** Writes the uploads into `<tmp>/kubedesk-compose-XXXX/<stem>`: the folder name is the default project name. */
function writeUpload(
  source: Extract<ComposeConvertRequest['source'], { kind: 'upload' }>,
  tempRoot: string,
): Upload {
  const root = mkdtempSync(join(tempRoot, 'kubedesk-compose-'));
  const names = source.files.map((f) => f.name);
  const composeNames = source.composeFiles ?? names.filter((n) => /\.ya?ml$/i.test(n));
  const dir = join(root, projectDirName(composeNames[0] ?? 'compose'));
  mkdirSync(dir);
  try {
    for (const file of source.files) {
      if (basename(file.name) !== file.name || file.name === '.' || file.name === '..')
        throw new UploadError(
          `cannot use the uploaded name ${JSON.stringify(file.name)}: a bare file name is expected`,
        );
      writeFileSync(join(dir, file.name), file.content);
    }
    const unknown = composeNames.find((n) => !names.includes(n));
    if (unknown) throw new UploadError(`compose file ${unknown} was not uploaded`);
    if (composeNames.length === 0)
      throw new UploadError('no compose file (.yml or .yaml) among the uploaded files');
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return { root, dir, files: composeNames.map((n) => join(dir, n)) };
}

/** `shop.compose.yaml` → `shop`; `docker-compose.yml` → `compose`. */
export function projectDirName(fileName: string): string {
  const stem = fileName
    .toLowerCase()
    .replace(/\.ya?ml$/, '')
    .replace(/(^|[.-])?(docker-)?compose$/, '')
    .replace(/[^a-z0-9_-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return stem || 'compose';
}

function convertFiles(
  request: ComposeConvertRequest,
  files: string[],
  context: { cwd: string; env: Record<string, string | undefined>; uploadDir?: string },
): SourceConversion {
  const { options } = request;
  let project: ReturnType<typeof loadComposeProject>;
  let result: ReturnType<typeof convertCompose>;
  try {
    project = loadComposeProject({
      files,
      interpolate: true,
      profiles: options.profiles,
      env: context.env,
      cwd: context.cwd,
      ...(options.projectName ? { projectName: options.projectName } : {}),
    });
    result = convertCompose(project, convertOptions(request));
  } catch (err) {
    if (!(err instanceof ComposeError)) throw err;
    const strip = (text: string) => (context.uploadDir ? text.split(`${context.uploadDir}/`).join('') : text);
    return failed(
      request,
      {
        message: strip(err.message),
        ...(err.file ? { file: strip(err.file) } : {}),
        ...(err.line ? { line: err.line } : {}),
        ...(err.keyPath ? { keyPath: err.keyPath } : {}),
      },
      context.uploadDir,
    );
  }
  const builds = context.uploadDir ? [] : imageBuildsOf(project);
  const notices = [
    ...(context.uploadDir ? [uploadNotice] : []),
    ...(builds.length > 0
      ? [
          `Deploy builds ${builds.map((b) => b.tag).join(', ')} with this computer's Docker engine; ` +
            'the nodes get the built images from there.',
        ]
      : []),
    ...(options.volumes === 'hostPath'
      ? ['hostPath volumes name folders on the nodes, not on this computer.']
      : []),
  ];
  return {
    view: {
      project: project.name,
      namespace: options.namespace ?? 'default',
      services: serviceViews(result.objects, result.warnings),
      builds: builds.map((b) => b.service),
      notices,
    },
    objects: result.objects,
    builds,
  };
}

function convertOptions(request: ComposeConvertRequest): Partial<ConvertOptions> {
  const { options } = request;
  return {
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.controller ? { controller: options.controller } : {}),
    volumes: volumeKinds[options.volumes],
    servicesWithoutPorts: options.servicesWithoutPorts,
    command: 'kubedesk compose',
    version: `kubedesk ${appVersion}`,
  };
}

/** Objects grouped by service, each service's warnings beside it; warnings about no service go to `shared`. */
export function serviceViews(
  objects: KubernetesObject[],
  warnings: ConversionWarning[],
): ComposeServiceView[] {
  const views = groupObjectsByService(objects).map((group) => ({
    service: group.service,
    objects: group.objects.map((object) => ({
      apiVersion: object.apiVersion ?? 'v1',
      kind: object.kind ?? '',
      name: object.metadata?.name ?? '',
      ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
      yaml: toYaml(object),
    })),
    warnings: [] as ComposeServiceView['warnings'],
  }));
  for (const warning of warnings) {
    const service = warning.service ?? sharedGroup;
    let view = views.find((v) => v.service === service);
    if (!view) {
      view = { service, objects: [], warnings: [] };
      views.push(view);
    }
    view.warnings.push({
      ...(warning.key ? { key: warning.key } : {}),
      message: warning.message,
      kompose: warning.kompose,
    });
  }
  return views;
}

function failed(
  request: ComposeConvertRequest,
  error: NonNullable<ComposeConversion['error']>,
  uploadDir: string | undefined,
): SourceConversion {
  return {
    view: {
      project: request.options.projectName ?? (uploadDir ? basename(uploadDir) : ''),
      namespace: request.options.namespace ?? 'default',
      services: [],
      builds: [],
      notices: uploadDir ? [uploadNotice] : [],
      error,
    },
    objects: [],
    builds: [],
  };
}
