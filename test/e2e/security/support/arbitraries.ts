import fc from 'fast-check';

import { declaredType, type Operation, type Parameter, type Schema } from './openapi.js';
import {
  ECHO_MARKER,
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
  nestedArrayJson,
  nestedObjectJson,
  sqlFragments,
} from './payloads.js';
import type { Seed, WireRequest } from './security-world.js';

/**
 * fast-check arbitraries of requests from an operation's OpenAPI description and
 * its seed (a valid request from the authorization matrix): valid requests
 * generated from the schema, and requests with exactly one mutation, each
 * labelled with what the API must do with it:
 *
 * - `valid`: conforms to the document (a 2xx, or a 4xx the route's semantics
 *   give: 403/404 access, 409 conflict, 422 domain rule; 400 for rules the
 *   document cannot state, such as an IANA time zone);
 * - `hostile`: odd but possibly valid values (NUL, bidi, emoji, huge numbers
 *   inside the documented range, unknown query parameters): any of the above;
 * - `invalid`: breaks the documented schema (wrong type, missing required field,
 *   unknown field, too long, out of range, not in the enum, bad format, bad
 *   JSON, prototype keys): 400 (413 past the 1 MiB body limit);
 * - `unknown-id`: a well-formed path id naming nothing the caller may see
 *   (random, another clinic's, another kind's): 403 or 404;
 * - `odd-id`: an odd value of a free-text path parameter (an exercise ref, a
 *   measure id, a file name): 400, 403 or 404;
 * - `bad-path`: a malformed path value: 400, or 404 `route_not_found` when the
 *   value no longer matches the route;
 * - `media`: a body that is not JSON: 415.
 */
export type Expectation = 'valid' | 'hostile' | 'invalid' | 'unknown-id' | 'odd-id' | 'bad-path' | 'media';

export interface FuzzCase {
  readonly request: WireRequest;
  readonly expectation: Expectation;
  /** What was done, e.g. `body.displayName ← number (type confusion)`. */
  readonly mutation: string;
  /** The body is larger than the 1 MiB limit (413 allowed). */
  readonly oversize?: boolean;
  /** Refused by the body parser, before authentication (malformed JSON, prototype keys, oversize). */
  readonly parserRejects?: boolean;
  /** The mutated path id is not the first of the path (it names a record inside the first). */
  readonly innerId?: boolean;
}

export interface FuzzContext {
  readonly seed: Seed;
  /** Builds the URL from path values and query. */
  readonly url: (
    pathValues: Readonly<Record<string, string>>,
    query: Readonly<Record<string, readonly string[]>>,
  ) => string;
  /** Real ids of clinic A (from seeds), used for uuid fields. */
  readonly knownIds: readonly string[];
  /** Per path parameter: ids that name nothing the caller may see (random, other clinic's, other kind's). */
  readonly foreignIds: Readonly<Record<string, readonly string[]>>;
}

const BODY_LIMIT = 1024 * 1024;
/** Keys the validation pipe drops rather than refuses: prototype-pollution names (stripped by Nest) and Object.prototype members. */
const IGNORED_KEYS = new Set(['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']);
const SQL = sqlFragments(120);
/** Hostile strings for URLs: not the clinical canary (request paths are logged; clinical text never belongs in a URL). */
const URL_STRINGS = HOSTILE_STRINGS.filter((value) => !value.includes('MENDCANARY'));

// ---- valid values ------------------------------------------------------------------------------

const isoDate = fc
  .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const isoDateTime = fc
  .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

function stringArb(schema: Schema, knownIds: readonly string[]): fc.Arbitrary<string> {
  if (schema.format === 'uuid') {
    return knownIds.length > 0 ? fc.oneof(fc.constantFrom(...knownIds), fc.uuid()) : fc.uuid();
  }
  if (schema.format === 'date') return isoDate;
  if (schema.format === 'date-time') return isoDateTime;
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 60, 60));
  const options: fc.Arbitrary<string>[] = [
    fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
    fc.string({ minLength: Math.max(min, 1), maxLength: max, unit: 'binary' }),
  ];
  const fitting = HOSTILE_STRINGS.filter(
    (value) => value.length >= min && value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY),
  );
  if (fitting.length > 0) options.push(fc.constantFrom(...fitting));
  if (typeof schema.example === 'string') options.push(fc.constant(schema.example));
  return fc.oneof(...options);
}

function numberArb(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  const edges = HOSTILE_NUMBERS.filter(
    (value) => value >= min && value <= max && (schema.type !== 'integer' || Number.isInteger(value)),
  );
  const integers = fc.integer({
    min: Math.ceil(Math.max(min, -(2 ** 31))),
    max: Math.floor(Math.min(max, 2 ** 31 - 1)),
  });
  return edges.length > 0 ? fc.oneof(integers, fc.constantFrom(...edges)) : integers;
}

/** A value the schema accepts (as far as the document states it). */
export function validValue(schema: Schema, knownIds: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const base = validValueOf(schema, knownIds, depth);
  return schema.nullable === true ? fc.option(base, { nil: null, freq: 6 }) : base;
}

function validValueOf(schema: Schema, knownIds: readonly string[], depth: number): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  switch (declaredType(schema)) {
    case 'string':
      return stringArb(schema, knownIds);
    case 'number':
    case 'integer':
      return numberArb(schema);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = schema.items ?? {};
      return fc.array(validValue(items, knownIds, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, depth > 2 ? 1 : 3)),
      });
    }
    case 'object': {
      if (schema.properties !== undefined) {
        const entries = Object.entries(schema.properties);
        const required = (schema.required ?? []).filter((name) => schema.properties?.[name] !== undefined);
        return fc.record(
          Object.fromEntries(entries.map(([name, property]) => [name, validValue(property, knownIds, depth + 1)])),
          { requiredKeys: required },
        );
      }
      // A free-form map (answers, a response schema): small, scalar-valued.
      return fc.dictionary(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
        {
          maxKeys: 4,
        },
      );
    }
    case 'enum':
    case undefined:
    default:
      // The document does not say (an untyped object): anything small.
      return fc.oneof(fc.constant(null), fc.string({ maxLength: 20 }), fc.integer());
  }
}

// ---- locations inside a body -------------------------------------------------------------------

export type JsonPath = readonly (string | number)[];

export interface Location {
  readonly path: JsonPath;
  readonly schema: Schema;
  /** Required by its parent object. */
  readonly required: boolean;
  /** The schema of the object holding it (for `extra` and `missing`). */
  readonly parent: Schema;
}

/** Every property of a body schema (arrays through their first item), to a bounded depth. */
export function locationsOf(schema: Schema, path: JsonPath = [], depth = 0): Location[] {
  if (depth > 5) return [];
  const found: Location[] = [];
  if (declaredType(schema) === 'object' && schema.properties !== undefined) {
    for (const [name, property] of Object.entries(schema.properties)) {
      const here = [...path, name];
      found.push({ path: here, schema: property, required: schema.required?.includes(name) === true, parent: schema });
      found.push(...locationsOf(property, here, depth + 1));
    }
  } else if (declaredType(schema) === 'array' && schema.items !== undefined) {
    found.push(...locationsOf(schema.items, [...path, 0], depth + 1));
  }
  return found;
}

/** The objects of a body schema (the top level included) where a field could be added. */
export function objectsOf(schema: Schema, path: JsonPath = [], depth = 0): { path: JsonPath; schema: Schema }[] {
  if (depth > 5) return [];
  const found: { path: JsonPath; schema: Schema }[] = [];
  if (declaredType(schema) === 'object' && schema.properties !== undefined) {
    found.push({ path, schema });
    for (const [name, property] of Object.entries(schema.properties)) {
      found.push(...objectsOf(property, [...path, name], depth + 1));
    }
  } else if (declaredType(schema) === 'array' && schema.items !== undefined) {
    found.push(...objectsOf(schema.items, [...path, 0], depth + 1));
  }
  return found;
}

export const pathText = (path: JsonPath): string =>
  path.length === 0
    ? 'body'
    : `body${path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('')}`;

/** A copy of `value` with `path` set (intermediate objects and arrays created as needed); `undefined` deletes. */
export function setAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const array = Array.isArray(value) ? [...(value as unknown[])] : [];
    while (array.length <= head) array.push({});
    array[head] = setAt(array[head], rest, replacement);
    return array;
  }
  const object: Record<string, unknown> =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  if (rest.length === 0 && replacement === undefined) {
    delete object[head];
  } else {
    Object.defineProperty(object, head, {
      value: setAt(object[head], rest, replacement),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

/** The JSON text of `body` with the value at `path` replaced by raw JSON text (deep nesting, prototype keys). */
function withRawAt(body: unknown, path: JsonPath, raw: string): string {
  const placeholder = `__mend_raw_${Math.abs(hashOf(raw))}__`;
  const text = JSON.stringify(setAt(body, path, placeholder));
  return text.replace(JSON.stringify(placeholder), raw);
}

function hashOf(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index += 1) hash = (hash * 31 + text.charCodeAt(index)) | 0;
  return hash;
}

// ---- mutations ---------------------------------------------------------------------------------

const TYPE_SAMPLES: readonly [string, unknown][] = [
  ['string', 'MENDFUZZ-not-a-number'],
  ['numeric string', '12'],
  ['number', 12],
  ['negative number', -7],
  ['float', 0.5],
  ['boolean', true],
  ['boolean string', 'true'],
  ['object', { nested: 'MENDFUZZ' }],
  ['array', ['MENDFUZZ', 1]],
  ['empty array', []],
  ['empty object', {}],
  ['null', null],
];

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value of another JSON type is certainly refused at a location (null is fine where optional or nullable). */
export function typeRefused(location: Location, value: unknown): boolean {
  const type = declaredType(location.schema);
  if (type === undefined) return false;
  const actual = jsonTypeOf(value);
  if (actual === 'null') return location.schema.nullable !== true && location.required;
  if (type === 'enum') return !(location.schema.enum ?? []).includes(value);
  if (type === 'number') return actual !== 'integer' && actual !== 'number';
  if (type === 'integer') return actual !== 'integer';
  return actual !== type;
}

/** The text with each lone surrogate replaced by U+FFFD (what a URL can carry). */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Text the API refuses everywhere (a NUL character, a lone surrogate: see apps/api/src/http/validation.ts). */
export function refusedText(value: string): boolean {
  return (
    value.includes('\u0000') || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
  );
}

function stringIsValid(schema: Schema, value: string): boolean | undefined {
  if (refusedText(value)) return false;
  if (schema.enum !== undefined) return schema.enum.includes(value);
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.format === 'uuid') {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? undefined : false;
  }
  if (schema.format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : false;
  if (schema.format === 'date-time') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? undefined : false;
  return undefined;
}

function numberIsValid(schema: Schema, value: number): boolean {
  // Beyond a PostgreSQL integer, every number is refused (apps/api/src/http/validation.ts).
  if (!Number.isFinite(value) || Math.abs(value) > 2_147_483_647) return false;
  if (schema.minimum !== undefined && value < schema.minimum) return false;
  if (schema.maximum !== undefined && value > schema.maximum) return false;
  if (schema.type === 'integer' && !Number.isInteger(value)) return false;
  return true;
}

interface Parts {
  readonly pathValues: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly body: unknown;
}

function request(context: FuzzContext, parts: Parts, extra: Partial<WireRequest> = {}): WireRequest {
  const operation = context.seed.operation;
  return {
    method: operation.method,
    url: context.url(parts.pathValues, parts.query),
    ...(parts.body !== undefined && { body: parts.body }),
    ...extra,
  };
}

function seedParts(seed: Seed): Parts {
  return { pathValues: seed.pathValues, query: seed.query, body: seed.body };
}

/** Body mutations at one location of the schema. */
function bodyLocationMutation(context: FuzzContext, base: unknown, location: Location): fc.Arbitrary<FuzzCase> {
  const parts = seedParts(context.seed);
  const at = pathText(location.path);
  const make = (value: unknown, expectation: Expectation, what: string): FuzzCase => ({
    request: request(context, { ...parts, body: setAt(base, location.path, value) }),
    expectation,
    mutation: `${at} ← ${what}`,
  });
  const type = declaredType(location.schema);
  const options: fc.Arbitrary<FuzzCase>[] = [
    fc
      .constantFrom(...TYPE_SAMPLES)
      .map(([name, value]) =>
        make(value, typeRefused(location, value) ? 'invalid' : 'hostile', `${name} (type confusion)`),
      ),
    fc.constantFrom(1000, 5000).map((depth) => ({
      request: request(context, parts, {
        rawBody: withRawAt(base, location.path, depth % 2 === 0 ? nestedArrayJson(depth) : nestedObjectJson(depth)),
        body: undefined,
      }),
      expectation:
        type === undefined || (type === 'object' && location.schema.properties === undefined) ? 'hostile' : 'invalid',
      mutation: `${at} ← ${depth} levels of nesting`,
    })),
  ];
  if (location.required) {
    options.push(fc.constant(make(undefined, 'invalid', 'missing (required)')));
  }
  if (type === 'string' || type === 'enum') {
    options.push(
      fc.constantFrom(...HOSTILE_STRINGS, ...SQL).map((value) => {
        const valid =
          type === 'enum'
            ? (location.schema.enum ?? []).includes(value) && !refusedText(value)
            : stringIsValid(location.schema, value);
        return make(
          value,
          valid === false ? 'invalid' : 'hostile',
          `hostile string ${JSON.stringify(value).slice(0, 40)}`,
        );
      }),
      fc.constantFrom(1, 10, 1000).map((extra) => {
        const length = (location.schema.maxLength ?? 100_000) + extra;
        return make(
          `${ECHO_MARKER}${'x'.repeat(length)}`,
          location.schema.maxLength !== undefined || type === 'enum' || location.schema.format !== undefined
            ? 'invalid'
            : 'hostile',
          `${length + ECHO_MARKER.length} characters`,
        );
      }),
    );
  }
  if (type === 'number' || type === 'integer') {
    options.push(
      fc
        .constantFrom(...HOSTILE_NUMBERS)
        .map((value) => make(value, numberIsValid(location.schema, value) ? 'hostile' : 'invalid', `number ${value}`)),
    );
  }
  if (type === 'array') {
    options.push(
      fc.constantFrom(1000, 20_000).map((count) => {
        const item = Array.isArray(readAt(base, location.path)) ? (readAt(base, location.path) as unknown[])[0] : 1;
        const value = Array.from({ length: count }, () => item ?? 1);
        const size = JSON.stringify(value).length;
        return {
          ...make(
            value,
            location.schema.maxItems !== undefined && count > location.schema.maxItems ? 'invalid' : 'hostile',
            `${count} items`,
          ),
          oversize: size > BODY_LIMIT - 4096,
        };
      }),
    );
  }
  return fc.oneof(...options);
}

/** The value at a path of a JSON value (undefined when absent). */
export function readAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A field the object does not declare: unknown names, prototype keys, the privileged names. */
function extraFieldMutation(context: FuzzContext, base: unknown, object: { path: JsonPath; schema: Schema }) {
  const parts = seedParts(context.seed);
  const declared = new Set(Object.keys(object.schema.properties ?? {}));
  const freeForm = object.schema.additionalProperties !== undefined && object.schema.additionalProperties !== false;
  const names = [
    'clinicId',
    'isAdmin',
    'role',
    'ownerId',
    'createdAt',
    'id',
    'zzUnknown',
    '$where',
    'constructor',
    'prototype',
  ].filter((name) => !declared.has(name));
  return fc.oneof(
    fc.constantFrom(...names).map((name): FuzzCase => ({
      request: request(context, { ...parts, body: setAt(base, [...object.path, name], `${ECHO_MARKER}-extra`) }),
      // Nest's ValidationPipe deletes `constructor` and `prototype` keys before validating (ignored, not refused).
      expectation: freeForm || IGNORED_KEYS.has(name) ? 'hostile' : 'invalid',
      mutation: `${pathText([...object.path, name])} ← an undeclared field`,
    })),
    fc
      .constantFrom(
        '{"__proto__":{"isAdmin":true,"clinicId":"00000000-0000-4000-8000-000000000000"}}',
        '{"constructor":{"prototype":{"isAdmin":true}}}',
      )
      .map((raw): FuzzCase => ({
        request: request(context, parts, { body: undefined, rawBody: insertRawKey(base, object.path, raw) }),
        expectation: 'invalid',
        parserRejects: true,
        mutation: `${pathText(object.path)} ← prototype pollution ${raw.slice(2, 16)}`,
      })),
  );
}

/** The body's JSON text with the members of `raw` (an object's text) added to the object at `path`. */
function insertRawKey(base: unknown, path: JsonPath, raw: string): string {
  const members = raw.slice(1, -1);
  const object = readAt(base, path);
  const inner = typeof object === 'object' && object !== null && !Array.isArray(object) ? JSON.stringify(object) : '{}';
  const combined = inner === '{}' ? `{${members}}` : `{${members},${inner.slice(1)}`;
  return withRawAt(base, path, combined);
}

/** Whole-body mutations: not JSON, not an object, another media type, oversize. */
function wholeBodyMutation(context: FuzzContext, base: unknown): fc.Arbitrary<FuzzCase> {
  const parts = seedParts(context.seed);
  const raw = (
    rawBody: string,
    expectation: Expectation,
    what: string,
    extra: Partial<WireRequest> = {},
  ): FuzzCase => ({
    request: request(context, parts, { body: undefined, rawBody, ...extra }),
    expectation,
    mutation: `body ← ${what}`,
  });
  const baseText = JSON.stringify(base ?? {});
  return fc.oneof(
    fc
      .constantFrom(
        '{',
        '{"a":',
        '[1,]',
        "{'a':1}",
        'NaN',
        '{"a":1}{"b":2}',
        '\u0000',
        '{"a":"\\u12"}',
        baseText.slice(0, -1),
      )
      .map((text) => ({
        ...raw(text, 'invalid', `malformed JSON ${JSON.stringify(text).slice(0, 20)}`),
        parserRejects: true,
      })),
    fc.constant({ ...raw('', 'invalid', 'empty with a JSON content type'), parserRejects: true }),
    fc
      .constantFrom('[]', '"MENDFUZZ"', '1', 'true', '[{}]')
      .map((text) => raw(text, 'invalid', `the JSON value ${text}`)),
    fc.constant(raw('null', 'hostile', 'the JSON value null')),
    fc.constantFrom(2000, 20_000).map((depth) => raw(nestedArrayJson(depth), 'invalid', `${depth} nested arrays`)),
    fc.constant(raw(nestedObjectJson(3000), 'invalid', '3000 nested objects')),
    fc
      .constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/jsonx',
      )
      .map((type) => raw(baseText, 'media', `sent as ${type}`, { contentType: type })),
    fc.constant({
      ...raw(
        JSON.stringify({
          ...(typeof base === 'object' && base !== null ? base : {}),
          padding: 'x'.repeat(BODY_LIMIT + 10),
        }),
        'invalid',
        'over the 1 MiB limit',
      ),
      oversize: true,
      parserRejects: true,
    }),
  );
}

/** Query mutations of one documented parameter. */
function queryMutation(context: FuzzContext, parameter: Parameter): fc.Arbitrary<FuzzCase> {
  const parts = seedParts(context.seed);
  const make = (values: readonly string[], expectation: Expectation, what: string): FuzzCase => ({
    request: request(context, { ...parts, query: { ...parts.query, [parameter.name]: values } }),
    expectation,
    mutation: `query.${parameter.name} ← ${what}`,
  });
  const schema = parameter.schema;
  const scalar = declaredType(schema) === 'array' ? (schema.items ?? {}) : schema;
  return fc.oneof(
    fc.constantFrom(...URL_STRINGS, ...SQL, '99999999999999999999', '-1', '0', '1.5', '1e3').map((raw) => {
      // A URL carries no lone surrogate: URLSearchParams sends U+FFFD in its place.
      const value = wellFormed(raw);
      const verdict = queryValueVerdict(scalar, value);
      return make([value], verdict, `${JSON.stringify(value).slice(0, 40)}`);
    }),
    fc.constantFrom(2, 50).map((count) =>
      make(
        Array.from({ length: count }, () => exampleOf(scalar)),
        'hostile',
        `repeated ${count} times`,
      ),
    ),
    fc.constant(
      make([`${ECHO_MARKER}${'q'.repeat(5000)}`], queryValueVerdict(scalar, 'q'.repeat(5000)), '5000 characters'),
    ),
  );
}

function exampleOf(schema: Schema): string {
  if (schema.enum !== undefined && schema.enum.length > 0) return String(schema.enum[0]);
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.format === 'date') return '2026-06-01';
  if (schema.format === 'date-time') return '2026-06-01T00:00:00.000Z';
  if (schema.type === 'number' || schema.type === 'integer') return String(schema.minimum ?? 1);
  if (schema.type === 'boolean') return 'true';
  return typeof schema.example === 'string' ? schema.example : 'x';
}

/** Whether a query value breaks the documented parameter (enum, format, number range): invalid; else hostile. */
export function queryValueVerdict(schema: Schema, value: string): Expectation {
  if (refusedText(value)) return 'invalid';
  if (schema.enum !== undefined) return schema.enum.includes(value) ? 'valid' : 'invalid';
  if (schema.type === 'number' || schema.type === 'integer') {
    const number = Number(value);
    // An empty value converts to 0 (class-transformer): lenient, and harmless where 0 is in range.
    if (value.trim() === '') return numberIsValid(schema, 0) ? 'hostile' : 'invalid';
    if (!Number.isFinite(number) || Math.abs(number) > 2_147_483_647) return 'invalid';
    return numberIsValid(schema, number) ? 'hostile' : 'invalid';
  }
  if (schema.type === 'boolean') return value === 'true' || value === 'false' ? 'valid' : 'invalid';
  const verdict = stringIsValid(schema, value);
  return verdict === false ? 'invalid' : 'hostile';
}

/** Path mutations of one parameter: malformed values, and ids that name nothing the caller may see. */
function pathMutation(context: FuzzContext, parameter: Parameter): fc.Arbitrary<FuzzCase> {
  const parts = seedParts(context.seed);
  const inner = context.seed.operation.pathParams.indexOf(parameter) > 0;
  const make = (value: string, expectation: Expectation, what: string): FuzzCase => ({
    request: request(context, { ...parts, pathValues: { ...parts.pathValues, [parameter.name]: value } }),
    expectation,
    mutation: `path.${parameter.name} ← ${what}`,
    ...(inner && { innerId: true }),
  });
  const options: fc.Arbitrary<FuzzCase>[] = [];
  const numeric = parameter.schema.type === 'number' || parameter.schema.type === 'integer';
  // Not '.' or '..' (a URL resolves them to another path) and, for numbers, nothing Number() reads as one.
  const malformed = [
    ...URL_STRINGS,
    ...SQL.slice(0, 40),
    'x'.repeat(5000),
    '%',
    '...',
    '00000000-0000-4000-8000-00000000000g',
  ]
    .filter((value) => value !== '' && value !== '.' && value !== '..')
    .filter((value) => !(parameter.schema.format === 'uuid' && stringIsValid(parameter.schema, value) !== false))
    .filter((value) => !numeric || !Number.isFinite(Number(value)));
  if (parameter.schema.format === 'uuid' || numeric) {
    options.push(
      fc
        .constantFrom(...malformed)
        .map((value) => make(value, 'bad-path', `malformed ${JSON.stringify(value).slice(0, 30)}`)),
    );
  } else {
    // A free string (an exercise ref, a measure id, a country): odd values are unknown ids or refused.
    options.push(
      fc.constantFrom(...malformed).map((value) => make(value, 'odd-id', `odd ${JSON.stringify(value).slice(0, 30)}`)),
    );
  }
  if (numeric) {
    options.push(
      fc.constantFrom('0', '-1', '1.5', '99999999999', '99999999999999999999999', '1e3', '0x10').map((value) => {
        const number = Number(value);
        const inRange = Number.isInteger(number) && numberIsValid(parameter.schema, number);
        return make(value, inRange ? 'unknown-id' : 'bad-path', `number ${value}`);
      }),
    );
  }
  const foreign = context.foreignIds[parameter.name] ?? [];
  if (foreign.length > 0) {
    options.push(
      fc
        .constantFrom(...foreign)
        .map((value) => make(value, 'unknown-id', `an id the caller may not see (${value.slice(0, 8)}…)`)),
    );
  }
  return fc.oneof(...options);
}

/** A generated value as query text (a string as it is, anything else as JSON). */
function queryText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The request arbitrary of an operation: valid requests and single mutations, weighted. */
export function fuzzCases(context: FuzzContext): fc.Arbitrary<FuzzCase> {
  const { seed } = context;
  const operation: Operation = seed.operation;
  const options: fc.WeightedArbitrary<FuzzCase>[] = [
    {
      weight: 1,
      arbitrary: fc.constant({
        request: request(context, seedParts(seed)),
        expectation: 'valid',
        mutation: 'none (the seed)',
      }),
    },
  ];
  const bodySchema = operation.body;
  if (bodySchema !== undefined) {
    const base = seed.body ?? {};
    options.push({
      weight: 3,
      arbitrary: validValue(bodySchema, context.knownIds).map((body) => ({
        request: request(context, { ...seedParts(seed), body }),
        expectation: 'hostile' as const,
        mutation: 'body generated from the schema',
      })),
    });
    const locations = locationsOf(bodySchema);
    if (locations.length > 0) {
      options.push({
        weight: 9,
        arbitrary: fc.constantFrom(...locations).chain((location) => bodyLocationMutation(context, base, location)),
      });
    }
    const objects = objectsOf(bodySchema);
    if (objects.length > 0) {
      options.push({
        weight: 3,
        arbitrary: fc.constantFrom(...objects).chain((object) => extraFieldMutation(context, base, object)),
      });
    }
    options.push({ weight: 3, arbitrary: wholeBodyMutation(context, base) });
  } else if (operation.method !== 'GET') {
    options.push({
      weight: 1,
      arbitrary: fc.constantFrom({ clinicId: 'MENDFUZZ' }, [], { __proto: 1 }).map((body) => ({
        request: request(context, { ...seedParts(seed), body }),
        expectation: 'hostile' as const,
        mutation: 'a body on a route that takes none',
      })),
    });
  }
  if (operation.queryParams.length > 0) {
    options.push({
      weight: 3,
      arbitrary: fc
        .record(
          Object.fromEntries(
            operation.queryParams.map((parameter) => [
              parameter.name,
              validValue(parameter.schema, context.knownIds).map((value) =>
                (Array.isArray(value) ? value : value === null ? [] : [value]).map(queryText),
              ),
            ]),
          ),
          {
            requiredKeys: operation.queryParams
              .filter((parameter) => parameter.required)
              .map((parameter) => parameter.name),
          },
        )
        .map((query) => ({
          request: request(context, { ...seedParts(seed), query }),
          expectation: 'hostile' as const,
          mutation: 'query generated from the schema',
        })),
    });
    options.push({
      weight: 5,
      arbitrary: fc.constantFrom(...operation.queryParams).chain((parameter) => queryMutation(context, parameter)),
    });
  }
  options.push({
    weight: 1,
    arbitrary: fc.constantFrom('zzUnknown', 'clinicId', '__proto__', 'sort', 'fields').map((name) => ({
      request: request(context, { ...seedParts(seed), query: { ...seed.query, [name]: [`${ECHO_MARKER}1`] } }),
      expectation: 'hostile' as const,
      mutation: `query.${name} ← an undocumented parameter`,
    })),
  });
  if (operation.pathParams.length > 0) {
    options.push({
      weight: 4,
      arbitrary: fc.constantFrom(...operation.pathParams).chain((parameter) => pathMutation(context, parameter)),
    });
  }
  return fc.oneof(...options);
}
