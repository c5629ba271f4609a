import { z } from 'zod';

// The envelope of every WebSocket message between the renderer and the headless host.

/** Where the headless host accepts the AppApi WebSocket. */
export const wsPath = '/api';

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int(), method: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: z.number().int(), topic: z.string(), args: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: z.number().int(), subscription: z.number().int() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

const wireErrorSchema = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  step: z.string().optional(),
});

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), output: z.unknown() }),
  /** `id` is null when the request was too malformed to carry one. */
  z.object({ type: z.literal('error'), id: z.number().int().nullable(), error: wireErrorSchema }),
  z.object({ type: z.literal('event'), subscription: z.number().int(), data: z.unknown() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
