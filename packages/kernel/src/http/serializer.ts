import type { FastifySerializerCompiler } from 'fastify';
import fastJsonStringify, { type Schema } from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';

/*
 * Response serialisation. fastify-type-provider-zod's serializer runs zod's encode on every
 * response and then JSON.stringify: a full validation of data the service built itself. Instead
 * each response schema is turned into JSON Schema once, at start, and compiled by
 * fast-json-stringify, the serializer Fastify uses for JSON Schema routes. Only the properties
 * the schema declares are written, so a field a route did not declare (a password hash on a row)
 * still never leaves the server. A schema whose output JSON Schema cannot describe — a transform,
 * a codec, a date — keeps zod's serializer.
 */

type ResponseSchema = $ZodType | { properties: $ZodType };

/**
 * zod strips undeclared keys of an object silently, while JSON Schema's `additionalProperties:
 * false` makes a union branch fail to match (fast-json-stringify picks an `anyOf` branch by
 * validating the value). Without the keyword fast-json-stringify writes declared properties only,
 * which is zod's stripping.
 */
function withoutClosedObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClosedObjects);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'additionalProperties' && item === false) continue;
    result[key] = withoutClosedObjects(item);
  }
  return result;
}

/**
 * The JSON Schema fast-json-stringify compiles for a zod response schema (draft-07, its
 * dialect), or undefined when the schema has no faithful JSON Schema form.
 */
export function responseJsonSchema(schema: $ZodType): Schema | undefined {
  try {
    // A codec's encode step changes the value (a Date back to text), which JSON Schema cannot say.
    let codec = false;
    const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
      target: 'draft-07',
      io: 'output',
      unrepresentable: 'throw',
      override: ({ zodSchema }) => {
        if (zodSchema._zod.traits.has('$ZodCodec')) codec = true;
      },
    });
    return codec ? undefined : (withoutClosedObjects(json) as Schema);
  } catch {
    // Transforms, dates, maps and the like: zod's own serializer handles them.
    return undefined;
  }
}

/** fast-json-stringify's serializer for `schema`, or undefined when it has none. */
function compile(schema: $ZodType): ((data: unknown) => string) | undefined {
  const json = responseJsonSchema(schema);
  if (json === undefined) return undefined;
  try {
    // Union branches are chosen by validators: compiled now, not on the first response that needs them.
    return fastJsonStringify(json, { compileValidators: true });
  } catch {
    return undefined;
  }
}

// One schema object (the problem schema every route answers errors with) is compiled once.
const compiled = new WeakMap<$ZodType, ((data: unknown) => string) | undefined>();

// Serializers not compiled yet, compiled one per event-loop turn soon after they are asked for.
const uncompiled: (() => unknown)[] = [];

function compileInBackground(): void {
  const next = uncompiled.shift();
  if (next === undefined) return;
  next();
  if (uncompiled.length > 0) setImmediate(compileInBackground);
}

/**
 * Fastify's serializer compiler for zod response schemas, called when a route is registered, for
 * each of its statuses and content types: compiled fast-json-stringify where the schema allows,
 * zod's encode and JSON.stringify otherwise (and for schemas that are not zod).
 *
 * Compiling them all (JSON Schema conversion, fast-json-stringify's code generation, Ajv for union
 * branches) takes a few hundred milliseconds, which a start would otherwise spend before it can
 * answer. So each is compiled on a turn of the event loop of its own right after the routes are
 * registered, between the start's remaining I/O and the first requests, and a response that
 * arrives before its turn compiles it then.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<ResponseSchema> = (routeSchema) => {
  const { schema } = routeSchema;
  if (!(schema instanceof $ZodType)) return zodSerializerCompiler(routeSchema);
  let serialize: ((data: unknown) => string) | undefined;
  const ready = (): ((data: unknown) => string) => {
    if (serialize === undefined) {
      if (!compiled.has(schema)) compiled.set(schema, compile(schema));
      serialize = compiled.get(schema) ?? zodSerializerCompiler(routeSchema);
    }
    return serialize;
  };
  uncompiled.push(ready);
  if (uncompiled.length === 1) setImmediate(compileInBackground);
  return (data) => (serialize ?? ready())(data);
};
