// Shells in containers, started so that they can be ended. Closing a Docker exec stream (directly
// for node shells, through the kubelet for pod shells) leaves the exec's processes running
// (moby/moby#9098), and Docker has no call to signal an exec. So each shell carries a tag in its
// environment, which everything it starts inherits, and a second exec signals every process
// holding the tag: the container's counterpart of signalling a host pty's session.

export const terminalTagVariable = 'KUBEDESK_TERMINAL';

/** `bash` when the container has it (as Lens does), else `sh`; the tag exported first. */
export function taggedShellCommand(tag: string): string[] {
  return [
    'sh',
    '-c',
    `${terminalTagVariable}="$1"; export ${terminalTagVariable}; command -v bash >/dev/null 2>&1 && exec bash || exec sh`,
    'kubedesk-shell',
    tag,
  ];
}

/**
 * Sends `signal` to every process in the container whose environment holds the tag. The tag is
 * passed as an argument, so the signalling shell and its grep are not among them.
 */
export function signalTaggedCommand(tag: string, signal: 'HUP' | 'KILL'): string[] {
  return [
    'sh',
    '-c',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansions
    'for f in /proc/[0-9]*/environ; do if grep -qs "$1" "$f"; then p="${f#/proc/}"; kill -s "$2" "${p%/environ}" 2>/dev/null; fi; done; true',
    'kubedesk-signal',
    `${terminalTagVariable}=${tag}`,
    signal,
  ];
}
