import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ComposeVolumeMount, ComposeVolumeType } from './types';

// Expands `volumes:` entries of a service to the long syntax. Bind-mount sources are made absolute
// against the project directory, as compose-go does; Windows paths (`C:\data`) are kept as written.
// https://docs.docker.com/reference/compose-file/services/#volumes

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

export function parseVolumeEntry(entry: unknown, workingDir: string): ComposeVolumeMount {
  if (typeof entry === 'string') return parseShortVolume(entry, workingDir);
  const long = entry as Record<string, unknown>;
  const type = String(long.type ?? 'volume') as ComposeVolumeType;
  const mount: ComposeVolumeMount = {
    type,
    target: String(long.target ?? ''),
    read_only: long.read_only === true,
  };
  if (typeof long.source === 'string' && long.source !== '') {
    mount.source = type === 'bind' ? hostPath(long.source, workingDir) : long.source;
  }
  return mount;
}

function parseShortVolume(spec: string, workingDir: string): ComposeVolumeMount {
  const parts = splitVolumeSpec(spec);
  if (parts.length === 1) return { type: 'volume', target: parts[0] as string, read_only: false };
  const [source = '', target = '', mode] = parts;
  const mount: ComposeVolumeMount = {
    type: isHostPath(source) ? 'bind' : 'volume',
    source: isHostPath(source) ? hostPath(source, workingDir) : source,
    target,
    read_only: mode?.split(',').includes('ro') ?? false,
  };
  if (mode) mount.mode = mode;
  return mount;
}

// Splits on `:` except the one after a Windows drive letter.
function splitVolumeSpec(spec: string): string[] {
  const parts: string[] = [];
  let rest = spec;
  while (rest !== '') {
    const drive = WINDOWS_DRIVE.test(rest) ? 2 : 0;
    const colon = rest.indexOf(':', drive);
    if (colon < 0) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  return parts;
}

function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || WINDOWS_DRIVE.test(source) || source.includes('/') || source.includes('\\');
}

function hostPath(source: string, workingDir: string): string {
  if (WINDOWS_DRIVE.test(source) || source.includes('\\')) return source;
  if (source === '~' || source.startsWith('~/')) return resolve(homedir(), source.slice(2));
  return isAbsolute(source) ? source : resolve(workingDir, source);
}
