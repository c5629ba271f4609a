import type { z } from 'zod';
import { contract } from './contract';

// Types derived from the contract, the generic client both transports share, and the error shape
// that crosses the boundary. Channel names are the contract's key paths (`settings.update`).

type Methods = typeof contract.methods;
type Topics = typeof contract.topics;

export type TopicName = keyof Topics;
export type TopicArgs<T extends TopicName> = z.input<Topics[T]['args']>;
export type TopicData<T extends TopicName> = z.output<Topics[T]['data']>;

export type AppApiMethods = {
  [G in keyof Methods]: {
    [M in keyof Methods[G]]: Methods[G][M] extends {
      input: infer I extends z.ZodType;
      output: infer O extends z.ZodType;
    }
      ? (input: z.input<I>) => Promise<z.output<O>>
      : never;
  };
};

export interface AppApi extends AppApiMethods {
  /** Starts a stream; the listener gets each item. Resolves to a function that ends the stream. */
  subscribe<T extends TopicName>(
    topic: T,
    args: TopicArgs<T>,
    listener: (data: TopicData<T>) => void,
  ): Promise<() => Promise<void>>;
}

/** What the host implements: one handler per contract method, one producer per topic. */
export interface AppApiHandlers {
  methods: {
    [G in keyof Methods]: {
      [M in keyof Methods[G]]: Methods[G][M] extends {
        input: infer I extends z.ZodType;
        output: infer O extends z.ZodType;
      }
        ? (input: z.output<I>) => Promise<z.input<O>>
        : never;
    };
  };
  /** Starts producing `topic` items through `emit`; returns the function that stops it. */
  topics: {
    [T in TopicName]: (
      args: z.output<Topics[T]['args']>,
      emit: (data: z.input<Topics[T]['data']>) => void,
    ) => () => void;
  };
}

/** An error as it crosses the boundary: plain data, rebuilt as an Error on the other side. */
export interface WireError {
  name: string;
  code: string;
  message: string;
  step?: string;
}

export class RemoteError extends Error {
  readonly code: string;
  readonly step?: string;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
    this.step = wire.step;
  }
}

/** The moving parts a transport provides; `createAppApi` turns them into the typed AppApi. */
export interface ClientTransport {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(topic: string, args: unknown, listener: (data: unknown) => void): Promise<number>;
  unsubscribe(subscription: number): Promise<void>;
}

/**
 * Routes stream items to listeners on the client side. An item can arrive before the reply that
 * names its subscription (over IPC the two travel separately), so early items wait here.
 */
export class SubscriptionRouter {
  private readonly listeners = new Map<number, (data: unknown) => void>();
  private readonly early = new Map<number, unknown[]>();

  deliver(subscription: number, data: unknown): void {
    const listener = this.listeners.get(subscription);
    if (listener) listener(data);
    else this.early.set(subscription, [...(this.early.get(subscription) ?? []), data]);
  }

  register(subscription: number, listener: (data: unknown) => void): void {
    this.listeners.set(subscription, listener);
    for (const data of this.early.get(subscription) ?? []) listener(data);
    this.early.delete(subscription);
  }

  remove(subscription: number): void {
    this.listeners.delete(subscription);
    this.early.delete(subscription);
  }
}

export const methodNames: string[] = Object.entries(contract.methods).flatMap(([group, methods]) =>
  Object.keys(methods).map((name) => `${group}.${name}`),
);

export function createAppApi(transport: ClientTransport): AppApi {
  const groups: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const path of methodNames) {
    const [group, name] = path.split('.') as [string, string];
    groups[group] ??= {};
    groups[group][name] = (input: unknown) => transport.call(path, input ?? {});
  }
  const api = {
    ...groups,
    async subscribe(topic: string, args: unknown, listener: (data: unknown) => void) {
      const id = await transport.subscribe(topic, args ?? {}, listener);
      return () => transport.unsubscribe(id);
    },
  };
  return api as unknown as AppApi;
}
