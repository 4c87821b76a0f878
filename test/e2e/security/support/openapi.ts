/**
 * The application's own OpenAPI document (served at /api/docs-json) read as a
 * list of operations with their parameters and request body schema, `$ref`s
 * resolved. Everything in test/e2e/security is driven from this list, so a route
 * another change adds is fuzzed, probed and mass-assigned without editing these
 * suites (only a new path parameter name needs a line in fixture-registry.ts).
 */

/** The subset of JSON Schema that @nestjs/swagger emits. */
export interface Schema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly default?: unknown;
  readonly example?: unknown;
  readonly description?: string;
  readonly allOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly $ref?: string;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: Schema;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Operation {
  readonly method: HttpMethod;
  /** As documented: `/api/v1/cases/{caseId}`. */
  readonly path: string;
  /** As the router and the authorization matrix name it: `GET /api/v1/cases/:caseId`. */
  readonly key: string;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  /** The JSON body schema, refs resolved; undefined when the operation takes no body. */
  readonly body?: Schema;
  readonly bodyRequired: boolean;
  /** No security requirement in the document: a public route (sign-in, token routes, health). */
  readonly isPublic: boolean;
}

interface RawOperation {
  parameters?: { name: string; in: Parameter['in']; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, RawOperation>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

/** Resolves `$ref`s and folds `allOf` into one schema (swagger emits allOf for a described $ref). */
export function resolveSchema(document: OpenApiDocument, schema: Schema | undefined, depth = 0): Schema {
  if (schema === undefined) return {};
  if (depth > 40) throw new Error('OpenAPI schema nesting too deep (a recursive $ref?)');
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (target === undefined) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    const { $ref: _ignored, ...rest } = schema;
    return resolveSchema(document, { ...target, ...rest }, depth + 1);
  }
  let merged: Schema = schema;
  if (schema.allOf !== undefined) {
    const { allOf, ...rest } = schema;
    merged = rest;
    for (const part of allOf) {
      const resolved = resolveSchema(document, part, depth + 1);
      merged = {
        ...resolved,
        ...merged,
        properties: { ...resolved.properties, ...merged.properties },
        required: [...(resolved.required ?? []), ...(merged.required ?? [])],
      };
    }
  }
  const properties =
    merged.properties === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(merged.properties).map(([name, value]) => [name, resolveSchema(document, value, depth + 1)]),
        );
  return {
    ...merged,
    ...(properties !== undefined && { properties }),
    ...(merged.items !== undefined && { items: resolveSchema(document, merged.items, depth + 1) }),
    ...(typeof merged.additionalProperties === 'object' && {
      additionalProperties: resolveSchema(document, merged.additionalProperties, depth + 1),
    }),
  };
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [lower, raw] of Object.entries(item)) {
      const method = lower.toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) continue;
      const parameters: Parameter[] = (raw.parameters ?? []).map((parameter) => ({
        name: parameter.name,
        in: parameter.in,
        required: parameter.required === true,
        schema: resolveSchema(document, parameter.schema),
      }));
      const content = raw.requestBody?.content;
      const jsonSchema = content?.['application/json']?.schema;
      if (content !== undefined && jsonSchema === undefined) {
        throw new Error(`${method} ${path}: a request body that is not application/json (teach the security suites)`);
      }
      operations.push({
        method,
        path,
        key: `${method} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        ...(jsonSchema !== undefined && { body: resolveSchema(document, jsonSchema) }),
        bodyRequired: raw.requestBody?.required === true,
        isPublic: raw.security === undefined,
      });
    }
  }
  return operations;
}

/** `/api/v1/cases/{caseId}` with the values filled in (each URI-encoded). */
export function fillPath(operation: Operation, values: Readonly<Record<string, string>>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${operation.key}: no value for path parameter ${name}`);
    return encodePathValue(value);
  });
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) becomes the
 * percent-encoded bytes of its code point: an invalid UTF-8 sequence, on purpose.
 */
export function encodePathValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    let encoded = '';
    for (const character of value) {
      const code = character.codePointAt(0) ?? 0;
      if (code >= 0xd800 && code <= 0xdfff) {
        const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
        encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
      } else {
        encoded += encodeURIComponent(character);
      }
    }
    return encoded;
  }
}

/** The path parameter values of a concrete URL of the operation, or undefined if the URL is not one of it. */
export function matchPath(operation: Operation, url: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name) => {
    names.push(String(name));
    return '([^/?#]+)';
  });
  const match = new RegExp(`^${pattern}(?:\\?.*)?$`).exec(url);
  if (match === null) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
}

/** The query of a URL as name → values. */
export function queryOf(url: string): Record<string, string[]> {
  const index = url.indexOf('?');
  const query: Record<string, string[]> = {};
  if (index < 0) return query;
  for (const [name, value] of new URLSearchParams(url.slice(index + 1))) (query[name] ??= []).push(value);
  return query;
}

/** The type a property declares, or undefined when the document does not say (an untyped object). */
export function declaredType(schema: Schema): string | undefined {
  if (schema.enum !== undefined) return 'enum';
  if (schema.type === 'object' && schema.properties === undefined && schema.additionalProperties === undefined) {
    return undefined;
  }
  return schema.type;
}
