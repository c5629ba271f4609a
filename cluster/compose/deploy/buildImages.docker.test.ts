import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { loadComposeProject } from '../loadComposeProject';
import { dockerImageBuilder, imageBuildsOf } from './buildImages';

// Builds a compose service's image with the host's Docker engine; `FROM scratch` needs no registry.

describe('building compose images with the host Docker engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-compose-build-'));
  const docker = new Docker();
  const repository = `kubedesk-compose-test-${process.pid}`;
  const tag = `${repository}:latest`;
  afterAll(async () => {
    const tags = await docker.listImages({ filters: { reference: [repository] } });
    for (const name of [tag, ...tags.flatMap((image) => image.RepoTags ?? [])])
      await docker
        .getImage(name)
        .remove()
        .catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('tags the image as compose does and by its ID, reporting build output as it goes', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'hello.txt'), 'hello\n');
    writeFileSync(join(dir, 'app', 'app.Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  app:\n    image: ${tag}\n    build:\n      context: ./app\n      dockerfile: app.Dockerfile\n`,
    );
    const project = loadComposeProject({
      files: ['compose.yaml'],
      interpolate: true,
      profiles: [],
      env: {},
      cwd: dir,
    });
    const builds = imageBuildsOf(project);
    expect(builds).toEqual([
      { service: 'app', image: tag, tag, context: join(dir, 'app'), dockerfile: 'app.Dockerfile' },
    ]);
    const lines: string[] = [];
    const pinned = await dockerImageBuilder(docker)(builds[0] as (typeof builds)[number], (line) =>
      lines.push(line),
    );
    expect(lines.some((line) => line.includes('COPY hello.txt /hello.txt'))).toBe(true);
    const image = await docker.getImage(tag).inspect();
    expect(pinned).toBe(`${repository}:${image.Id.slice('sha256:'.length, 'sha256:'.length + 12)}`);
    expect(image.RepoTags).toEqual(expect.arrayContaining([pinned, tag]));
  });

  it('fails with the engine message when the Dockerfile is broken', async () => {
    writeFileSync(join(dir, 'app', 'broken.Dockerfile'), 'FROM scratch\nCOPY missing.txt /missing.txt\n');
    const build = {
      service: 'app',
      image: tag,
      tag,
      context: join(dir, 'app'),
      dockerfile: 'broken.Dockerfile',
    };
    await expect(dockerImageBuilder(docker)(build, () => {})).rejects.toThrow(/missing\.txt/);
  });
});
