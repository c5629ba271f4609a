import type { AppApiHandlers } from '../appApi';
import type { TerminalSessions } from './terminalSessions';

// The terminal's AppApi handlers: the `terminal` methods and the `terminal.output` stream.

export function terminalMethods(terminals: TerminalSessions): AppApiHandlers['methods']['terminal'] {
  return {
    open: (request) => terminals.open(request),
    targets: () => terminals.targets(),
    async write({ id, data }) {
      terminals.write(id, data);
      return null;
    },
    async resize({ id, cols, rows }) {
      terminals.resize(id, cols, rows);
      return null;
    },
    async ack({ id, bytes }) {
      terminals.acknowledge(id, bytes);
      return null;
    },
    async close({ id }) {
      await terminals.close(id);
      return null;
    },
  };
}

export function terminalOutputTopic(
  terminals: TerminalSessions,
): AppApiHandlers['topics']['terminal.output'] {
  return ({ id }, emit) => terminals.attach(id, emit);
}
