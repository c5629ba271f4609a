import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSideloading, markedLoadCommand, normalizeImageRef, sideloadMarkerPath } from './sideloadMarkers';

describe('sideload markers', () => {
  it('gives an image one marker whether or not its ref names the latest tag', () => {
    expect(normalizeImageRef('app')).toBe('app:latest');
    expect(normalizeImageRef('registry:5000/team/app')).toBe('registry:5000/team/app:latest');
    expect(normalizeImageRef('app:1')).toBe('app:1');
    expect(normalizeImageRef('app@sha256:abc')).toBe('app@sha256:abc');
    expect(sideloadMarkerPath('app')).toBe(sideloadMarkerPath('app:latest'));
    expect(sideloadMarkerPath('app:1')).not.toBe(sideloadMarkerPath('app:2'));
  });

  it('marks, loads and unmarks in one shell so the marker lives exactly as long as the load', () => {
    const [shell, flag, script] = markedLoadCommand('app:1');
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(script).toContain(`echo $$ > ${sideloadMarkerPath('app:1')}.tmp`);
    expect(script).toContain(`trap 'rm -f ${sideloadMarkerPath('app:1')}' EXIT`);
    expect(script?.trim().endsWith('docker load --quiet')).toBe(true);
  });

  it('counts a marker only while its process runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedesk-markers-'));
    const marker = join(dir, 'm');
    expect(await isSideloading('app:1', marker)).toBe(false);
    writeFileSync(marker, `${process.pid}\n`);
    expect(await isSideloading('app:1', marker)).toBe(true);
    // PIDs stop well below this (pid_max is at most 2^22).
    writeFileSync(marker, '4194305\n');
    expect(await isSideloading('app:1', marker)).toBe(false);
  });
});
