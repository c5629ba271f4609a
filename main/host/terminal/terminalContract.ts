import { z } from 'zod';

// The terminal's part of the AppApi contract. A session is a terminal with a shell in it: on this
// computer (`host`), in a pod's container through the API server's exec endpoint (`pod`), or in a
// node container through the Docker engine (`node`), all behind the same methods.

export const terminalKindSchema = z.enum(['host', 'pod', 'node']);

const size = {
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(500),
};

export const terminalOpenSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host'), ...size }).strict(),
  z
    .object({
      kind: z.literal('pod'),
      namespace: z.string(),
      pod: z.string(),
      container: z.string().optional(),
      ...size,
    })
    .strict(),
  z.object({ kind: z.literal('node'), node: z.string(), ...size }).strict(),
]);

export const terminalSessionSchema = z.object({
  id: z.string(),
  kind: terminalKindSchema,
  /** What the tab shows, e.g. `bash`. */
  title: z.string(),
  /** The process on this computer that holds the terminal (a host shell's pid), when there is one. */
  pid: z.number().int().optional(),
  /** Warnings for the person at the terminal, e.g. that no kubectl could be provided. */
  notices: z.array(z.string()),
});

const sessionRef = { id: z.string() };

export const terminalWriteSchema = z.object({ ...sessionRef, data: z.string() }).strict();
export const terminalResizeSchema = z.object({ ...sessionRef, ...size }).strict();
/** The renderer reports how many output bytes it has rendered; the host sends more only then. */
export const terminalAckSchema = z.object({ ...sessionRef, bytes: z.number().int().positive() }).strict();
export const terminalRefSchema = z.object(sessionRef).strict();

/** One item of a session's output stream: a chunk of raw bytes (base64), or the end. */
export const terminalOutputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('data'), data: z.string() }),
  z.object({
    type: z.literal('exit'),
    exitCode: z.number().int(),
    signal: z.number().int().optional(),
    message: z.string().optional(),
  }),
]);

export type TerminalKind = z.infer<typeof terminalKindSchema>;
export type TerminalOpen = z.infer<typeof terminalOpenSchema>;
export type TerminalSession = z.infer<typeof terminalSessionSchema>;
export type TerminalOutput = z.infer<typeof terminalOutputSchema>;

/** What the Terminal page offers shells into: pods with their containers, and node containers. */
export const terminalTargetsSchema = z.object({
  pods: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      containers: z.array(z.string()),
      /** The container an unqualified shell opens in (kubectl's choice). */
      defaultContainer: z.string().optional(),
      phase: z.string(),
    }),
  ),
  /** Nodes running as containers on the Docker engine (simulated nodes have no shell). */
  nodes: z.array(z.string()),
  /** Why a list is empty when it could not be read (no cluster running, Docker unreachable). */
  problems: z.array(z.string()),
});

export type TerminalTargets = z.infer<typeof terminalTargetsSchema>;
