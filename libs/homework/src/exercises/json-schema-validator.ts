import { Ajv, type ErrorObject, type SchemaValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The one JSON Schema validator (Ajv 8) behind response-schema and answer validation.
 *
 * Everything a single JSON Schema keyword can say is said in JSON Schema (types, ranges,
 * `$data` comparisons such as "min ≤ max", discriminated field types, if/then for
 * conditional requirements). Three cross-item rules that JSON Schema cannot express are
 * custom keywords registered here: `uniqueBy` (no two items share a property value),
 * `conditionRefs` (a `requiredWhen` names a sibling `bool`/`select` field and a value it can
 * take) and `partRefs` (in a paired exercise every field names a declared part).
 * `ruleIds` is an annotation: the stable rule id to report for a keyword that fails there.
 */

// ajv-formats is CommonJS; under `nodenext` its default export is the module object.
const addFormats = addFormatsModule.default;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface KeywordError {
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

function keywordError(instancePath: string, keyword: string, rule: string, message: string): KeywordError {
  return { instancePath, keyword, message, params: { rule } };
}

/** The rule id a schema's `ruleIds` annotation gives a keyword (custom keyword errors carry it in params). */
function annotatedRule(parentSchema: unknown, keyword: string, fallback: string): string {
  const annotations = isObject(parentSchema) ? parentSchema.ruleIds : undefined;
  const rule = isObject(annotations) ? annotations[keyword] : undefined;
  return typeof rule === 'string' ? rule : fallback;
}

const uniqueBy: SchemaValidateFunction = (property: string, data: unknown, parentSchema, context) => {
  if (!Array.isArray(data)) return true;
  const base = context?.instancePath ?? '';
  const seen = new Map<unknown, number>();
  const errors: KeywordError[] = [];
  data.forEach((item, index) => {
    if (!isObject(item)) return;
    const value = item[property];
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else
      errors.push({
        instancePath: `${base}/${index}/${property}`,
        keyword: 'uniqueBy',
        message: `duplicates the ${property} of item ${first}`,
        params: { property, duplicateOf: first, rule: annotatedRule(parentSchema, 'uniqueBy', 'duplicate-item') },
      });
  });
  uniqueBy.errors = errors;
  return errors.length === 0;
};

const conditionRefs: SchemaValidateFunction = (_schema: true, data: unknown, _parent, context) => {
  if (!Array.isArray(data)) return true;
  const base = context?.instancePath ?? '';
  const byKey = new Map<string, Json>();
  for (const item of data) if (isObject(item) && typeof item.key === 'string') byKey.set(item.key, item);
  const errors: KeywordError[] = [];
  data.forEach((item, index) => {
    if (!isObject(item) || !isObject(item.requiredWhen)) return;
    const { field, equals } = item.requiredWhen;
    if (typeof field !== 'string') return;
    const here = `${base}/${index}/requiredWhen`;
    const target = byKey.get(field);
    if (target === undefined || field === item.key) {
      errors.push(
        keywordError(`${here}/field`, 'conditionRefs', 'condition-unknown-field', 'names no other field of this group'),
      );
      return;
    }
    if (target.type === 'bool') {
      if (typeof equals !== 'boolean')
        errors.push(
          keywordError(`${here}/equals`, 'conditionRefs', 'condition-value-invalid', 'a bool field is true or false'),
        );
      return;
    }
    if (target.type === 'select') {
      const values = Array.isArray(target.options) ? target.options.filter(isObject).map((option) => option.value) : [];
      if (!values.includes(equals))
        errors.push(
          keywordError(`${here}/equals`, 'conditionRefs', 'condition-value-invalid', 'is not an option of that field'),
        );
      return;
    }
    errors.push(
      keywordError(`${here}/field`, 'conditionRefs', 'condition-field-type', 'must name a bool or select field'),
    );
  });
  conditionRefs.errors = errors;
  return errors.length === 0;
};

const partRefs: SchemaValidateFunction = (_schema: true, data: unknown) => {
  if (!isObject(data) || !Array.isArray(data.fields)) return true;
  const parts = Array.isArray(data.parts) ? data.parts.filter(isObject).map((part) => part.key) : undefined;
  const errors: KeywordError[] = [];
  data.fields.forEach((field, index) => {
    if (!isObject(field)) return;
    const here = `/fields/${index}`;
    if (parts === undefined) {
      if (field.part !== undefined)
        errors.push(
          keywordError(`${here}/part`, 'partRefs', 'part-undeclared', 'names a part but the schema has no parts'),
        );
    } else if (field.part === undefined) {
      errors.push(
        keywordError(
          `${here}/part`,
          'partRefs',
          'part-missing',
          'a paired exercise must say which part answers each field',
        ),
      );
    } else if (!parts.includes(field.part)) {
      errors.push(keywordError(`${here}/part`, 'partRefs', 'part-unknown', 'names a part the schema does not declare'));
    }
  });
  partRefs.errors = errors;
  return errors.length === 0;
};

function createValidator(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    $data: true,
    discriminator: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    // The field-type discriminator requires `type` beside the branches that define it.
    strictRequired: false,
    // Compiling (once per schema) dominates; Ajv's code optimiser roughly doubles it and
    // barely changes validation time for schemas of this size.
    code: { optimize: false },
  });
  addFormats(ajv, ['date', 'date-time']);
  ajv.addKeyword({ keyword: 'ruleIds', schemaType: 'object' });
  ajv.addKeyword({ keyword: 'uniqueBy', type: 'array', schemaType: 'string', errors: true, validate: uniqueBy });
  ajv.addKeyword({
    keyword: 'conditionRefs',
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    validate: conditionRefs,
  });
  ajv.addKeyword({ keyword: 'partRefs', type: 'object', schemaType: 'boolean', errors: true, validate: partRefs });
  return ajv;
}

let shared: Ajv | undefined;

/** The process-wide validator (schemas compile once; compiled answer schemas are cached by the caller). */
export function jsonSchemaValidator(): Ajv {
  shared ??= createValidator();
  return shared;
}

/** One problem found by a validation: where (JSON pointer and a readable path), which rule, and why. */
export interface SchemaIssue {
  /** JSON pointer into the validated document, e.g. `/fields/3/columns/0/maxLength`. */
  readonly pointer: string;
  /** The same place named by field keys, e.g. `fields.who_affected.columns.person.maxLength`. */
  readonly path: string;
  /** Stable rule id, e.g. `duplicate-field-key`, `min-exceeds-max`, `max-length`. */
  readonly rule: string;
  /** A short explanation; never repeats the submitted content. */
  readonly message: string;
}

/** Rule ids for keywords that no `ruleIds` annotation names. */
const DEFAULT_RULES: Readonly<Record<string, string>> = {
  required: 'missing-property',
  additionalProperties: 'unknown-property',
  type: 'wrong-type',
  enum: 'invalid-value',
  const: 'invalid-value',
  minimum: 'out-of-range',
  maximum: 'out-of-range',
  exclusiveMinimum: 'out-of-range',
  exclusiveMaximum: 'out-of-range',
  minLength: 'too-short',
  maxLength: 'too-long',
  minItems: 'too-few-items',
  maxItems: 'too-many-items',
  uniqueItems: 'duplicate-item',
  pattern: 'invalid-format',
  format: 'invalid-format',
  discriminator: 'unknown-field-type',
  uniqueBy: 'duplicate-item',
  minProperties: 'too-few-properties',
};

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Errors that only repeat another error's failure one level up (if/then, oneOf wrappers). */
const WRAPPER_KEYWORDS = new Set(['if', 'oneOf', 'anyOf', 'allOf']);

/** Keys that can name a path segment unambiguously (the field-key pattern). */
const NAMEABLE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export type PathStyle = 'response-schema' | 'answers';

/**
 * Turns a pointer into a readable path. For response schemas, an item of a field list
 * (`fields`, `feedbackFields`, `columns`) is named by its key; for answers, array items
 * are indexed: `who_affected[0].person`.
 */
export function readablePath(pointer: string, document: unknown, style: PathStyle): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointerSegment);
  let node: unknown = document;
  let path = '';
  let previous = '';
  for (const segment of segments) {
    if (Array.isArray(node)) {
      const index = Number(segment);
      const item: unknown = node[index];
      const key = isObject(item) && typeof item.key === 'string' && NAMEABLE_KEY.test(item.key) ? item.key : undefined;
      const named =
        style === 'response-schema' && key !== undefined && ['fields', 'feedbackFields', 'columns'].includes(previous);
      path = named ? `${path}.${key}` : `${path}[${segment}]`;
      node = item;
    } else {
      path = path === '' ? segment : `${path}.${segment}`;
      node = isObject(node) ? node[segment] : undefined;
    }
    previous = segment;
  }
  return path === '' ? '(root)' : path.replace(/^\./, '');
}

function ruleOf(error: ErrorObject): string {
  const fromParams = (error.params as Record<string, unknown>).rule;
  if (typeof fromParams === 'string') return fromParams;
  const parentSchema: unknown = error.parentSchema;
  const annotations = isObject(parentSchema) ? parentSchema.ruleIds : undefined;
  if (isObject(annotations)) {
    const params = error.params as Record<string, unknown>;
    const detail = [params.missingProperty, params.additionalProperty, params.format, params.tagValue].find(
      (value): value is string => typeof value === 'string',
    );
    const specific = detail === undefined ? undefined : annotations[`${error.keyword}:${detail}`];
    if (typeof specific === 'string') return specific;
    const general = annotations[error.keyword];
    if (typeof general === 'string') return general;
  }
  if (error.keyword === 'format') return `${String((error.params as { format?: string }).format)}-format`;
  return DEFAULT_RULES[error.keyword] ?? error.keyword;
}

/** Messages for rules whose keyword alone says too little (`not`, `pattern`). */
const RULE_MESSAGES: Readonly<Record<string, string>> = {
  blank: 'must not be blank',
  'switchable-includes-default': 'must not include the default visibility',
  'required-and-conditional': 'cannot be both required and conditionally required',
  'field-key-format': 'must start with a letter and hold only letters, digits and _ (at most 64)',
  'option-value-format': 'must be lowercase letters, digits, _ or - (at most 64)',
};

function messageOf(error: ErrorObject, rule: string): string {
  const params = error.params as Record<string, unknown>;
  const fixed = RULE_MESSAGES[rule];
  if (fixed !== undefined) return fixed;
  if (rule === 'time-format') return 'must be a time as HH:MM (24-hour clock)';
  if (rule === 'date-format') return 'must be a calendar date as YYYY-MM-DD';
  if (rule === 'datetime-format') return 'must be an ISO 8601 date and time with a UTC offset';
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed here';
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'minItems':
      return `must have at least ${String(params.limit)} items`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'type':
      return `must be of type ${String(params.type)}`;
    case 'enum':
      return 'is not one of the allowed values';
    case 'format':
      return `must be a valid ${String(params.format)}`;
    case 'pattern':
      return 'has an invalid format';
    case 'discriminator':
      return 'is not a known field type';
    default:
      return error.message ?? 'is invalid';
  }
}

/** Translates Ajv errors into issues that name the field path and the rule. */
export function toIssues(
  errors: readonly ErrorObject[] | null | undefined,
  document: unknown,
  style: PathStyle,
): SchemaIssue[] {
  if (!errors || errors.length === 0) return [];
  const concrete = errors.filter((error) => !WRAPPER_KEYWORDS.has(error.keyword));
  const chosen = concrete.length > 0 ? concrete : [...errors];
  const issues = chosen.map((error): SchemaIssue => {
    const params = error.params as Record<string, unknown>;
    const child = params.missingProperty ?? params.additionalProperty;
    const pointer =
      typeof child === 'string' ? `${error.instancePath}/${escapePointerSegment(child)}` : error.instancePath;
    const rule = ruleOf(error);
    return { pointer, path: readablePath(pointer, document, style), rule, message: messageOf(error, rule) };
  });
  const unique = new Map<string, SchemaIssue>();
  for (const issue of issues) unique.set(`${issue.pointer}\u0000${issue.rule}`, issue);
  return [...unique.values()];
}
