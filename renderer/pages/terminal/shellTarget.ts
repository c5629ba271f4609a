import type { TerminalOpen } from '../../../main/host/terminal/terminalContract';

// What a new terminal tab opens a shell in, and how deep links name it (the contract other pages
// link with): `#/terminal?pod=<namespace>/<name>&container=<c>` (container optional) and
// `#/terminal?node=<nodeName>`.

type WithoutSize<T> = T extends unknown ? Omit<T, 'cols' | 'rows'> : never;
export type ShellTarget = WithoutSize<TerminalOpen>;

/** The shell a deep link's query asks for; undefined when it names none or is malformed. */
export function shellTargetFromQuery(query: URLSearchParams): ShellTarget | undefined {
  const pod = query.get('pod');
  if (pod) {
    const slash = pod.indexOf('/');
    if (slash <= 0 || slash === pod.length - 1) return undefined;
    const container = query.get('container');
    return {
      kind: 'pod',
      namespace: pod.slice(0, slash),
      pod: pod.slice(slash + 1),
      ...(container ? { container } : {}),
    };
  }
  const node = query.get('node');
  return node ? { kind: 'node', node } : undefined;
}

/** The deep link that opens `target`, for pages that offer a shell. */
export function terminalLink(target: ShellTarget): string {
  const query = new URLSearchParams();
  if (target.kind === 'pod') {
    query.set('pod', `${target.namespace}/${target.pod}`);
    if (target.container) query.set('container', target.container);
  } else if (target.kind === 'node') query.set('node', target.node);
  const text = query.toString();
  return text ? `#/terminal?${text}` : '#/terminal';
}
