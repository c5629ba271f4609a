import { resolve } from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import type { ComposeProject } from '../types';

// `build:` sections are built with the host's Docker engine, tagged with the image name the
// converted workload uses (`image:`, else the service name, as the converter decides). Getting
// the image onto the nodes is the sideloading step that comes with real nodes.

export interface ImageBuild {
  service: string;
  /** The tag the workload's container runs. */
  image: string;
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
      context: resolve(project.workingDir, service.build?.context ?? '.'),
      dockerfile: service.build?.dockerfile ?? 'Dockerfile',
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

export type ImageBuilder = (build: ImageBuild, onOutput: (line: string) => void) => Promise<void>;

interface BuildEntry {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Builds on the local Docker engine (DOCKER_HOST and the like are honoured by dockerode), loaded
 * on first use so converting a project never loads the Docker client. */
export function dockerImageBuilder(given?: Docker): ImageBuilder {
  return async (build, onOutput) => {
    const docker = given ?? new (await import('dockerode')).default();
    // tar-fs packs with streamx, whose readable pipes like a Node stream but lacks a few legacy methods.
    const context = pack(build.context) as unknown as NodeJS.ReadableStream;
    const stream = await docker.buildImage(context, { t: build.image, dockerfile: build.dockerfile });
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
  };
}
