import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventEnvelope } from './event-bus';

/**
 * Every domain event, in one place: its type, version and the zod schema of its data.
 * Publishers build envelopes with `makeEvent`; consumers parse with `parseEvent`, so a malformed
 * or unknown event is rejected at the edge, not deep in a handler.
 */
export interface EventDefinition<T extends string, S extends z.ZodType> {
  readonly type: T;
  readonly version: number;
  readonly schema: S;
}

function defineEvent<T extends string, S extends z.ZodType>(type: T, version: number, schema: S): EventDefinition<T, S> {
  return { type, version, schema };
}

const role = z.enum(['client', 'provider', 'admin']);

export const events = {
  userRegistered: defineEvent(
    'user.registered',
    1,
    z.object({ userId: z.uuid(), email: z.email(), name: z.string(), role, timeZone: z.string(), locale: z.string() }),
  ),
  userUpdated: defineEvent(
    'user.updated',
    1,
    z.object({ userId: z.uuid(), name: z.string(), timeZone: z.string(), locale: z.string() }),
  ),
} as const;

type Defs = typeof events;
export type EventType = Defs[keyof Defs]['type'];
export type EventData<D extends EventDefinition<string, z.ZodType>> = z.infer<D['schema']>;

export function makeEvent<D extends EventDefinition<string, z.ZodType>>(
  def: D,
  data: z.infer<D['schema']>,
  meta: { source: string; requestId?: string | undefined },
): EventEnvelope<z.infer<D['schema']>> {
  return {
    id: randomUUID(),
    type: def.type,
    version: def.version,
    occurredAt: new Date().toISOString(),
    source: meta.source,
    ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
    data: def.schema.parse(data) as z.infer<D['schema']>,
  };
}

/** Validate an incoming envelope's data against its definition (throws a ZodError when it does not fit). */
export function parseEvent<D extends EventDefinition<string, z.ZodType>>(def: D, event: EventEnvelope): EventEnvelope<z.infer<D['schema']>> {
  if (event.type !== def.type || event.version !== def.version) {
    throw new Error(`expected ${def.type} v${def.version}, got ${event.type} v${event.version}`);
  }
  return { ...event, data: def.schema.parse(event.data) as z.infer<D['schema']> };
}
