import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { canonicalService, type RawService, ServiceKeyError } from './canonicalService';
import { ComposeError } from './composeError';
import { type ComposeFile, formatKeyPath, parseComposeFile } from './composeFile';
import { parseEnvFile } from './dotenv';
import type { Lookup } from './interpolate';
import { mergeServices } from './mergeServices';
import { normalizeService } from './normalizeService';
import { type PhaseTimer, untimed } from './phaseTimer';
import type {
  ComposeFileObject,
  ComposeNamedVolume,
  ComposeNetwork,
  ComposeProject,
  ComposeService,
  LoadWarning,
} from './types';
import { validateComposeFile } from './validateSchema';

// Loads a Compose project the way `docker compose` does: files merged in order, `.env` beside the
// first file, interpolation, `extends`, profiles.
// https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/

export interface LoadOptions {
  /** Compose files in merge order; relative to `cwd`, `-` for stdin. Empty: the default names in `cwd`. */
  files: string[];
  /** Env file used for interpolation instead of `<project dir>/.env`. */
  envFile?: string;
  interpolate: boolean;
  /** Active profiles; when empty, `COMPOSE_PROFILES` from the environment decides. */
  profiles: string[];
  /** The process environment; it wins over `.env`. */
  env: Record<string, string | undefined>;
  cwd: string;
  projectName?: string;
  /** Measures the loading phases (for the conversion benchmark). */
  timer?: PhaseTimer;
}

const STDIN = '-';
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export function loadComposeProject(options: LoadOptions): ComposeProject {
  const files = resolveFiles(options);
  const workingDir = files[0] === STDIN ? options.cwd : dirname(files[0] as string);
  const dotenv = readDotenv(options, workingDir);
  const variables: Record<string, string | undefined> = { ...dotenv, ...options.env };
  const lookup: Lookup = (name) => variables[name];
  const warnings: LoadWarning[] = [];

  const load = (path: string): ComposeFile => {
    const timed = options.timer ?? untimed;
    const file = parseComposeFile(path, readText(path), {
      interpolate: options.interpolate,
      lookup,
      timer: timed,
    });
    timed('validate', () => validateComposeFile(file));
    warnings.push(...file.warnings);
    if ('version' in file.data) {
      warnings.push({
        file: path,
        keyPath: 'version',
        message: 'the attribute `version` is obsolete, it will be ignored',
      });
    }
    return file;
  };
  const servicesOf = (file: ComposeFile, baseDir = workingDir): Record<string, RawService> =>
    Object.fromEntries(
      Object.entries((file.data.services as Record<string, RawService> | undefined) ?? {}).map(
        ([name, raw]) => {
          try {
            return [name, canonicalService(raw ?? {}, baseDir)];
          } catch (err) {
            if (!(err instanceof ServiceKeyError)) throw err;
            const path = ['services', name, ...err.key];
            throw new ComposeError(err.message, {
              file: file.path,
              line: file.lineOf(path),
              keyPath: formatKeyPath(path),
            });
          }
        },
      ),
    );

  // `include:` brings in other projects' files as they are (relative to their own folder);
  // defining the same resource twice is an error, not an override.
  const included = (
    file: ComposeFile,
    into: { top: Record<string, unknown>; services: Record<string, RawService> },
  ) => {
    for (const [index, entry] of ((file.data.include as unknown[] | undefined) ?? []).entries()) {
      const paths =
        typeof entry === 'string' ? [entry] : [(entry as { path: string | string[] }).path].flat();
      for (const path of paths) {
        const child = load(resolve(dirname(file.path), path));
        included(child, into);
        const conflict = (kind: string, name: string) =>
          new ComposeError(`${kind} ${JSON.stringify(name)} conflicts with one imported from ${child.path}`, {
            file: file.path,
            line: file.lineOf(['include', index]),
            keyPath: `include[${index}]`,
          });
        for (const [name, service] of Object.entries(servicesOf(child, dirname(child.path)))) {
          if (into.services[name]) throw conflict('service', name);
          into.services[name] = service;
        }
        for (const kind of ['networks', 'volumes', 'configs', 'secrets']) {
          const own = (into.top[kind] as Record<string, unknown> | undefined) ?? {};
          for (const [name, value] of Object.entries(
            (child.data[kind] as Record<string, unknown> | undefined) ?? {},
          )) {
            if (name in own) throw conflict(kind.slice(0, -1), name);
            own[name] = value;
          }
          into.top[kind] = own;
        }
      }
    }
  };

  const loaded = files.map(load);
  let top: Record<string, unknown> = {};
  let services: Record<string, RawService> = {};
  for (const file of loaded) {
    const imports = { top: {} as Record<string, unknown>, services: {} as Record<string, RawService> };
    included(file, imports);
    top = mergeServices(mergeServices(top, imports.top), {
      ...file.data,
      services: undefined,
      include: undefined,
    });
    const own = servicesOf(file);
    for (const [name, service] of Object.entries({ ...imports.services, ...own })) {
      if (imports.services[name] && own[name]) {
        throw new ComposeError(`service ${JSON.stringify(name)} is defined here and by include`, {
          file: file.path,
          line: file.lineOf(['services', name]),
          keyPath: `services.${name}`,
        });
      }
      services[name] = services[name] ? mergeServices(services[name], service) : service;
    }
  }
  services = resolveExtends(
    services,
    (path) => servicesOf(load(resolve(workingDir, path))),
    loaded[0] as ComposeFile,
  );

  const name = projectName(options, top, variables, workingDir);
  const active = activeProfiles(options, variables);
  const project: ComposeProject = {
    name,
    workingDir,
    files,
    services: {},
    networks: {},
    volumes: {},
    configs: {},
    secrets: {},
    warnings: dedupeWarnings(warnings),
  };
  for (const [serviceName, raw] of Object.entries(services)) {
    let service: ComposeService;
    try {
      service = normalizeService(serviceName, raw, lookup);
    } catch (err) {
      const path = ['services', serviceName];
      const file = [...loaded]
        .reverse()
        .find((f) => serviceName in ((f.data.services as object | undefined) ?? {}));
      throw new ComposeError(
        (err as Error).message,
        { file: file?.path, line: file?.lineOf(path), keyPath: formatKeyPath(path) },
        { cause: err },
      );
    }
    if (service.profiles.length > 0 && !service.profiles.some((p) => active.has(p) || active.has('*')))
      continue;
    for (const envFile of service.env_file) {
      if (envFile.required && !existsSync(resolve(workingDir, envFile.path))) {
        throw new ComposeError(`env file ${resolve(workingDir, envFile.path)} not found`, {
          keyPath: `services.${serviceName}.env_file`,
        });
      }
    }
    project.services[serviceName] = service;
  }
  project.networks = networks(top.networks, project, name);
  project.volumes = namedVolumes(top.volumes, name);
  project.configs = fileObjects(top.configs, name, workingDir);
  project.secrets = fileObjects(top.secrets, name, workingDir);
  return project;
}

function resolveFiles(options: LoadOptions): string[] {
  // `-` is standard input, as in kompose and docker compose.
  if (options.files.length > 0) return options.files.map((f) => (f === STDIN ? f : resolve(options.cwd, f)));
  const found = DEFAULT_FILES.map((f) => resolve(options.cwd, f)).find((f) => existsSync(f));
  if (!found)
    throw new ComposeError(
      `no compose file found in ${options.cwd} (looked for ${DEFAULT_FILES.join(', ')})`,
    );
  return [found];
}

function readText(path: string): string {
  try {
    return readFileSync(path === STDIN ? 0 : path, 'utf8');
  } catch (err) {
    throw new ComposeError(
      `cannot read compose file: ${(err as Error).message}`,
      { file: path },
      { cause: err },
    );
  }
}

function readDotenv(options: LoadOptions, workingDir: string): Record<string, string> {
  const path = options.envFile ? resolve(options.cwd, options.envFile) : resolve(workingDir, '.env');
  if (!existsSync(path)) {
    if (options.envFile) throw new ComposeError('env file not found', { file: path });
    return {};
  }
  try {
    return parseEnvFile(readFileSync(path, 'utf8'), (name) => options.env[name]);
  } catch (err) {
    throw new ComposeError((err as Error).message, { file: path }, { cause: err });
  }
}

function resolveExtends(
  services: Record<string, RawService>,
  loadFile: (path: string) => Record<string, RawService>,
  first: ComposeFile,
): Record<string, RawService> {
  const resolved: Record<string, RawService> = {};
  const resolveOne = (name: string, pool: Record<string, RawService>, chain: string[]): RawService => {
    const service = pool[name];
    if (!service) {
      throw new ComposeError(`cannot extend service ${JSON.stringify(name)}: not found`, {
        file: first.path,
        keyPath: `services.${chain.at(-1) ?? name}.extends`,
      });
    }
    const ext = service.extends as string | { service: string; file?: string } | undefined;
    if (!ext) return service;
    if (chain.includes(name)) {
      throw new ComposeError(`circular extends: ${[...chain, name].join(' -> ')}`, {
        file: first.path,
        line: first.lineOf(['services', name, 'extends']),
        keyPath: `services.${name}.extends`,
      });
    }
    const target = typeof ext === 'string' ? { service: ext } : ext;
    const basePool = target.file ? loadFile(target.file) : pool;
    const base = resolveOne(target.service, basePool, [...chain, name]);
    const { extends: _ext, ...own } = service;
    return mergeServices(base, own);
  };
  for (const name of Object.keys(services)) resolved[name] = resolveOne(name, services, []);
  return resolved;
}

function projectName(
  options: LoadOptions,
  top: Record<string, unknown>,
  variables: Record<string, string | undefined>,
  workingDir: string,
): string {
  const raw =
    options.projectName ??
    (top.name as string | undefined) ??
    variables.COMPOSE_PROJECT_NAME ??
    basename(workingDir);
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

function activeProfiles(options: LoadOptions, variables: Record<string, string | undefined>): Set<string> {
  if (options.profiles.length > 0) return new Set(options.profiles);
  return new Set(
    (variables.COMPOSE_PROFILES ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
}

function networks(
  raw: unknown,
  project: ComposeProject,
  projectName: string,
): Record<string, ComposeNetwork> {
  const out: Record<string, ComposeNetwork> = {};
  for (const [key, value] of Object.entries((raw as Record<string, Record<string, unknown> | null>) ?? {})) {
    const external = value?.external;
    const externalName =
      typeof external === 'object' && external ? (external as { name?: string }).name : undefined;
    const isExternal = Boolean(external);
    out[key] = {
      name:
        (value?.name as string | undefined) ?? externalName ?? (isExternal ? key : `${projectName}_${key}`),
      external: isExternal,
    };
  }
  const usesDefault = Object.values(project.services).some((s) => s.networks.length === 0 && !s.network_mode);
  if (usesDefault && !out.default) out.default = { name: `${projectName}_default`, external: false };
  return out;
}

function namedVolumes(raw: unknown, projectName: string): Record<string, ComposeNamedVolume> {
  const out: Record<string, ComposeNamedVolume> = {};
  for (const [key, value] of Object.entries((raw as Record<string, Record<string, unknown> | null>) ?? {})) {
    const external = Boolean(value?.external);
    const labels = Object.fromEntries(
      Object.entries((value?.labels as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [
        k,
        String(v),
      ]),
    );
    out[key] = {
      name: (value?.name as string | undefined) ?? (external ? key : `${projectName}_${key}`),
      external,
      labels,
    };
  }
  return out;
}

function fileObjects(
  raw: unknown,
  projectName: string,
  workingDir: string,
): Record<string, ComposeFileObject> {
  const out: Record<string, ComposeFileObject> = {};
  for (const [key, value] of Object.entries((raw as Record<string, Record<string, unknown> | null>) ?? {})) {
    out[key] = {
      name: (value?.name as string | undefined) ?? `${projectName}_${key}`,
      file: typeof value?.file === 'string' ? resolve(workingDir, value.file) : undefined,
      content: typeof value?.content === 'string' ? value.content : undefined,
      environment: typeof value?.environment === 'string' ? value.environment : undefined,
      external: Boolean(value?.external),
    };
  }
  return out;
}

function dedupeWarnings(warnings: LoadWarning[]): LoadWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => !seen.has(w.message) && seen.add(w.message));
}
