// The ports an object offers for port-forwarding: a pod's (or a Deployment template's) container
// ports, a Service's ports.

interface Ported {
  spec?: {
    ports?: { port?: number }[];
    containers?: { ports?: { containerPort?: number }[] }[];
    template?: { spec?: { containers?: { ports?: { containerPort?: number }[] }[] } };
  };
}

export function forwardPorts(obj: Record<string, unknown> | undefined): number[] {
  const spec = (obj as Ported | undefined)?.spec;
  const containers = spec?.containers ?? spec?.template?.spec?.containers ?? [];
  const ports = [
    ...(spec?.ports ?? []).map((p) => p.port),
    ...containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
  ];
  return [...new Set(ports.filter((p): p is number => typeof p === 'number'))];
}
