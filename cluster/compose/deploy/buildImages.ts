import { resolve } from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import type { ComposeProject } from '../types';

// `build:` sections are built with the host's Docker engine, tagged as Docker Compose tags them
// (`image:`, else `<project>-<service>`), and also under a tag made from the image ID. Workloads run
// that pinned tag with pull policy IfNotPresent (pinnedImages.ts): nodes get it by sideload from
// the host engine, never look for it in a registry, and a rebuild is a new tag, so a new rollout.

export interface ImageBuild {
  service: string;
  /** The image the converted workloads name for the service (`image:`, else the service name). */
  image: string;
  /** What the host engine's image is tagged. */
  tag: string;
  /** Absolute path of the build context. */
  context: string;
  /** Relative to the context. */
  dockerfile: string;
}

export function imageBuildsOf(project: ComposeProject): ImageBuild[] {
  return Object.values(project.services)
    .filter((service) => service.build)
    .map((service) => ({
      service: service.name,
      image: service.image ?? service.name,
      tag: service.image ?? `${project.name}-${service.name}`,
      context: resolve(project.workingDir, service.build?.context ?? '.'),
      dockerfile: service.build?.dockerfile ?? 'Dockerfile',
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** Builds one image; resolves the pinned reference workloads should run. */
export type ImageBuilder = (build: ImageBuild, onOutput: (line: string) => void) => Promise<string>;

interface BuildEntry {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** `repo:tag` → `repo`; a port in the registry host (`host:5000/app`) is not a tag. */
export function repositoryOf(reference: string): string {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash ? reference.slice(0, colon) : reference;
}

/** `<repository>:<the image ID's first 12 hex digits>`, the short ID `docker images` shows. */
export function pinnedReference(tag: string, imageId: string): string {
  return `${repositoryOf(tag)}:${imageId.replace(/^sha256:/, '').slice(0, 12)}`;
}

/** Builds on the local Docker engine (DOCKER_HOST and the like are honoured by dockerode), loaded
 * on first use so converting a project never loads the Docker client. */
export function dockerImageBuilder(given?: Docker): ImageBuilder {
  return async (build, onOutput) => {
    const docker = given ?? new (await import('dockerode')).default();
    // tar-fs packs with streamx, whose readable pipes like a Node stream but lacks a few legacy methods.
    const context = pack(build.context) as unknown as NodeJS.ReadableStream;
    const stream = await docker.buildImage(context, { t: build.tag, dockerfile: build.dockerfile });
    await new Promise<void>((done, fail) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, output: BuildEntry[]) => {
          const failed = output.find((entry) => entry.error || entry.errorDetail);
          if (err) fail(err);
          else if (failed) fail(new Error(failed.errorDetail?.message ?? failed.error));
          else done();
        },
        (entry: BuildEntry) => {
          const line = (entry.stream ?? entry.status ?? '').trim();
          if (line) onOutput(line);
        },
      );
    });
    const image = docker.getImage(build.tag);
    const pinned = pinnedReference(build.tag, (await image.inspect()).Id);
    const [repo, tag] = [repositoryOf(pinned), pinned.slice(repositoryOf(pinned).length + 1)];
    await image.tag({ repo, tag });
    return pinned;
  };
}
