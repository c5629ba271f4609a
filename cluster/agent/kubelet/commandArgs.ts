// Kubernetes' command/args rules over a Docker image (k8s.io docs "Define a command and arguments"):
// command replaces the image's ENTRYPOINT (and then the image's CMD is dropped), args replace CMD;
// `$(VAR)` expands from the container's environment, `$$(VAR)` stays literal, unknown names stay as is.

export interface DockerCommand {
  Entrypoint?: string[];
  Cmd?: string[];
}

export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? (env[name] as string) : match;
  });
}

export function dockerCommand(
  container: { command?: string[]; args?: string[] },
  env: Record<string, string>,
): DockerCommand {
  const expand = (list: string[]) => list.map((item) => expandVars(item, env));
  if (container.command?.length) {
    return { Entrypoint: expand(container.command), Cmd: expand(container.args ?? []) };
  }
  if (container.args?.length) return { Cmd: expand(container.args) };
  return {};
}
