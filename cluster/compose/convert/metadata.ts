import type { ConvertOptions } from './convertOptions';
import type { KService } from './komposeService';

// Compose labels become annotations on every object of a service, as kompose does; with
// --with-kompose-annotation=false the kompose.* ones are left out.

export function annotationsFor(
  service: KService,
  options: ConvertOptions,
): Record<string, string> | undefined {
  const annotations: Record<string, string> = { ...service.labels };
  if (options.withKomposeAnnotation) {
    annotations['kompose.cmd'] = options.command;
    annotations['kompose.version'] = options.version;
  } else {
    for (const key of Object.keys(annotations)) if (key.startsWith('kompose.')) delete annotations[key];
  }
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}
