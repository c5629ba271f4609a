import type { z } from 'zod';
import { type AppApiHandlers, methodNames, type WireError } from './appApi';
import { contract } from './contract';

// Transport-agnostic core: validates every message against the contract, runs the handler, and
// turns any failure into a WireError. Both the IPC and the WebSocket transports sit on top of this.

export class ContractError extends Error {
  override name = 'ContractError';
  constructor(
    message: string,
    readonly code: 'BadRequest' | 'NotFound' = 'BadRequest',
  ) {
    super(message);
  }
}

type AnyMethod = { input: z.ZodType; output: z.ZodType };
type AnyTopic = { args: z.ZodType; data: z.ZodType };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const withCode = err as Error & { code?: unknown; step?: unknown };
    return {
      name: err.name,
      code: typeof withCode.code === 'string' ? withCode.code : 'Internal',
      message: err.message,
      ...(typeof withCode.step === 'string' ? { step: withCode.step } : {}),
    };
  }
  return { name: 'Error', code: 'Internal', message: String(err) };
}

export interface Dispatcher {
  call(method: string, input: unknown): Promise<unknown>;
  /** Validates a subscription; the returned function starts the stream and gives its stop function.
   * Transports reply with the subscription id before starting, so no item precedes the reply. */
  subscribe(topic: string, args: unknown): (emit: (data: unknown) => void) => () => void;
}

export function createDispatcher(handlers: AppApiHandlers): Dispatcher {
  const methodTable = new Map<string, { spec: AnyMethod; run: (input: unknown) => Promise<unknown> }>();
  for (const path of methodNames) {
    const [group, name] = path.split('.') as [string, string];
    const specs = contract.methods as unknown as Record<string, Record<string, AnyMethod>>;
    const impls = handlers.methods as unknown as Record<
      string,
      Record<string, (i: unknown) => Promise<unknown>>
    >;
    const spec = specs[group]?.[name];
    const run = impls[group]?.[name];
    if (!spec || !run) throw new Error(`handler missing for ${path}`);
    methodTable.set(path, { spec, run: run.bind(impls[group]) });
  }
  const topicSpecs = contract.topics as unknown as Record<string, AnyTopic>;
  const topicImpls = handlers.topics as unknown as Record<
    string,
    (args: unknown, emit: (data: unknown) => void) => () => void
  >;

  return {
    async call(method, input) {
      const entry = methodTable.get(method);
      if (!entry) throw new ContractError(`unknown method "${method}"`, 'NotFound');
      const parsed = entry.spec.input.safeParse(input);
      if (!parsed.success) {
        throw new ContractError(`invalid input for ${method}: ${describeIssues(parsed.error)}`);
      }
      const output = await entry.run(parsed.data);
      // A host bug must surface as an error here, not as malformed data in the renderer.
      return entry.spec.output.parse(output);
    },
    subscribe(topic, args) {
      const spec = topicSpecs[topic];
      const start = topicImpls[topic];
      if (!spec || !start) throw new ContractError(`unknown topic "${topic}"`, 'NotFound');
      const parsed = spec.args.safeParse(args);
      if (!parsed.success) {
        throw new ContractError(`invalid arguments for topic ${topic}: ${describeIssues(parsed.error)}`);
      }
      return (emit) => start(parsed.data, (data) => emit(spec.data.parse(data)));
    },
  };
}
