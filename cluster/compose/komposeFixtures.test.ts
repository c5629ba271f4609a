import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { appRoot } from '../appRoot';
import { registerConvertCommand } from '../commands/convert';
import { diffManifests } from './manifestDiff';

// kompose's own functional test cases, run through `kubedesk convert` with the same arguments and
// judged the way kompose's harness judges them (see shared/kompose-fixtures/README.md).

interface FixtureCase {
  name: string;
  dir: string;
  input_files: string[];
  expected_output: string;
  args_relative_to_dir?: string[];
  harness_check?: 'expect_success' | 'expect_success_and_warning';
  environment?: { unset?: string[] };
}

const fixturesRoot = resolve(appRoot, '../shared/kompose-fixtures');
function readIndex(): { cases: FixtureCase[]; legacy_cases: FixtureCase[] } {
  const path = join(fixturesRoot, 'index.json');
  // CI clones the repository with shared/ beside it; without the fixtures this suite cannot judge anything.
  if (!existsSync(path)) throw new Error(`kompose fixtures not found at ${path}`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Cases we do not pass yet, with the reason; the test fails if this list is not exact. */
const KNOWN_FAILING: string[] = [];

interface CaseResult {
  name: string;
  problems: string[];
}

function parseYamlStream(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((doc): doc is KubernetesObject => doc !== null);
}

async function runCase(
  fixture: FixtureCase,
  readExpected: (path: string) => KubernetesObject[],
): Promise<CaseResult> {
  const cwd = join(fixturesRoot, fixture.dir);
  const env = { ...process.env };
  for (const name of fixture.environment?.unset ?? []) delete env[name];
  let stdout = '';
  let stderr = '';
  const program = new Command('kubedesk').exitOverride();
  registerConvertCommand(program, () => ({
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    cwd,
  }));
  // kompose takes -f before the sub-command; ours takes it after.
  const args = (
    fixture.args_relative_to_dir ?? [
      ...fixture.input_files.flatMap((f) => ['-f', f]),
      '--stdout',
      '--with-kompose-annotation=false',
    ]
  ).filter((a) => a !== 'convert');
  const problems: string[] = [];
  try {
    await program.parseAsync(['convert', ...args], { from: 'user' });
  } catch (err) {
    return { name: fixture.name, problems: [`failed: ${(err as Error).message}`] };
  }
  const expected = readExpected(join(cwd, fixture.expected_output));
  problems.push(...diffManifests(expected, parseYamlStream(stdout)));
  if (fixture.harness_check === 'expect_success' && stderr !== '')
    problems.push(`stderr not empty: ${stderr.trim()}`);
  if (fixture.harness_check === 'expect_success_and_warning' && stderr === '')
    problems.push('expected a warning on stderr');
  return { name: fixture.name, problems };
}

describe('kompose fixtures', () => {
  const index = readIndex();

  it('converts every kompose functional test case like kompose does', async () => {
    const cases = index.cases;
    const results: CaseResult[] = [];
    for (const fixture of cases) {
      results.push(await runCase(fixture, (path) => parseYamlStream(readFileSync(path, 'utf8'))));
    }
    const failing = results.filter((r) => r.problems.length > 0);
    for (const result of failing) {
      console.log(`✗ ${result.name}\n  ${result.problems.slice(0, 8).join('\n  ')}`);
    }
    console.log(`kompose fixtures: ${cases.length - failing.length}/${cases.length} passed`);
    expect(cases.length).toBe(41);
    expect(failing.map((r) => r.name).sort()).toEqual([...KNOWN_FAILING].sort());
  });

  // Old JSON fixtures kompose no longer runs: their formatting has drifted (see each known_drift),
  // so only print how far we are from them.
  it('converts the legacy fixtures (differences are informational)', async () => {
    for (const fixture of index.legacy_cases) {
      const result = await runCase(fixture, legacyExpected);
      expect(result.problems.filter((p) => p.startsWith('failed'))).toEqual([]);
      console.log(
        `legacy ${fixture.name}: ${result.problems.length} difference(s)${result.problems.length ? `\n  ${result.problems.join('\n  ')}` : ''}`,
      );
    }
  });
});

// Legacy outputs are `List`s written before kompose pruned empty fields and dropped its annotations.
function legacyExpected(path: string): KubernetesObject[] {
  const list = JSON.parse(readFileSync(path, 'utf8')) as { items: KubernetesObject[] };
  return list.items.map((item) => {
    const { status: _status, ...object } = item as KubernetesObject & { status?: unknown };
    return pruneLegacy(object) as KubernetesObject;
  });
}

function pruneLegacy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneLegacy);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const pruned = pruneLegacy(child);
    const empty =
      pruned === null ||
      pruned === '' ||
      (Array.isArray(pruned) && pruned.length === 0) ||
      (typeof pruned === 'object' && pruned !== null && Object.keys(pruned).length === 0);
    if (!empty && !key.startsWith('kompose.')) out[key] = pruned;
  }
  return out;
}
