import { describe, expect, it } from 'vitest';
import { debianMirrorFrom, fallbackDebianMirror } from './debianMirror';

describe('debianMirrorFrom', () => {
  it('reads deb822 sources and skips the security suite', () => {
    const text = [
      'Types: deb',
      'URIs: http://mirror.example/debian-security',
      'Suites: bookworm-security',
      'Components: main',
      '',
      'Types: deb deb-src',
      'URIs: http://mirror.example/debian/',
      'Suites: bookworm bookworm-updates',
      'Components: main',
    ].join('\n');
    expect(debianMirrorFrom([{ path: '/etc/apt/sources.list.d/debian.sources', text }])).toBe(
      'http://mirror.example/debian',
    );
  });

  it('reads one-line sources with options, ignoring comments and deb-src', () => {
    const text = [
      '# deb http://old.example/debian bookworm main',
      'deb-src http://src.example/debian bookworm main',
      'deb [arch=amd64 signed-by=/k.gpg] http://list.example/debian bookworm main',
    ].join('\n');
    expect(debianMirrorFrom([{ path: '/etc/apt/sources.list', text }])).toBe('http://list.example/debian');
  });

  it("falls back to Debian's own address when no source carries the suite", () => {
    const text = 'deb http://archive.ubuntu.com/ubuntu noble main';
    expect(debianMirrorFrom([{ path: '/etc/apt/sources.list', text }])).toBe(fallbackDebianMirror);
  });
});
