/**
 * SQL expressions that make PostgreSQL write JSON as text by concatenation,
 * for the hot reads that answer with the JSON their statement wrote (the
 * caseload, the client's "today").
 *
 * Why not `json_build_object`: PostgreSQL 15 looks up how to write each of its
 * arguments on every call (a catalogue lookup per value per row); with it, the
 * JSON was more than half of the "today" statement's time. Concatenation costs
 * about half as much per value (100,000 rows of five values: 2.9 µs a row with
 * `json_build_object`, 2.1 with `row_to_json`, 1.35 concatenated, psql on the
 * development VM), and the text is compact (no spaces after `:` and `,`).
 *
 * What keeps it valid JSON — each builder is safe for any value of its type:
 * - every text value goes through `to_json(…::text)`, PostgreSQL's own JSON
 *   string escaping (the cast first: a json value is escaped as a string, never
 *   spliced in);
 * - uuids, integers, booleans and formatted dates and instants are cast to
 *   their type first, so a value of another type fails the statement rather
 *   than reaching the text unescaped, and their text forms need no escaping;
 * - `json` is only for values that are JSON already (a nested builder's
 *   result, a `json`/`jsonb` column);
 * - keys are fixed identifiers, checked when the SQL is built;
 * - SQL null is JSON `null` (concatenation with null is null: every builder
 *   coalesces).
 *
 * The equivalence with `json_build_object` over awkward values (quotes,
 * backslashes, control characters, non-ASCII, nulls) is tested against
 * PostgreSQL in test/integration/database/json-text.int-spec.ts.
 */
export const jsonText = {
  /** A text value as a JSON string. */
  string: (sql: string): string => `coalesce(to_json((${sql})::text)::text, 'null')`,
  /** A uuid as a JSON string. */
  uuid: (sql: string): string => `coalesce('"' || (${sql})::uuid || '"', 'null')`,
  /** An integer (or a count) as a JSON number. */
  integer: (sql: string): string => `coalesce((${sql})::bigint::text, 'null')`,
  /** A boolean as `true` or `false`. */
  boolean: (sql: string): string => `coalesce((${sql})::boolean::text, 'null')`,
  /**
   * A date as a JSON string `YYYY-MM-DD`: its text form in the ISO DateStyle (PostgreSQL's default,
   * which Mend's reads of dates as `::text` rely on throughout; `to_char` cost ten times as much).
   */
  date: (sql: string): string => `coalesce('"' || (${sql})::date::text || '"', 'null')`,
  /**
   * An instant as a JSON string in UTC with milliseconds, as `Date.prototype.toISOString` writes the
   * Date pg parses from it (both drop the microseconds).
   */
  instant: (sql: string): string =>
    `coalesce('"' || to_char((${sql})::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')`,
  /** A constant string, written when the SQL is built. */
  literal: (value: string): string => `'${JSON.stringify(value).replaceAll("'", "''")}'`,
  /** A value that is JSON already: a builder's result, or a `json`/`jsonb` value. */
  json: (sql: string): string => `coalesce((${sql})::text, 'null')`,

  /** An object of the given keys, in order; each value is one of the builders' expressions. */
  object: (fields: readonly (readonly [key: string, value: string])[]): string => {
    if (fields.length === 0) return `'{}'`;
    const parts = fields.map(([key, value], index) => {
      if (!JSON_KEY.test(key)) throw new Error(`Not a plain JSON key: ${key}`);
      return `'${index === 0 ? '{' : ','}"${key}":' || ${value}`;
    });
    return `(${parts.join(' || ')} || '}')`;
  },

  /**
   * An aggregate: the rows' `element` (a builder's expression) as a JSON array
   * in the given order; `[]` when there are no rows.
   */
  array: (element: string, orderBy: string): string =>
    `coalesce('[' || string_agg(${element}, ',' order by ${orderBy}) || ']', '[]')`,
};

const JSON_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
