import fc from 'fast-check';
import type pg from 'pg';

import { jsonText } from '@mend/core';
import { connectAs } from '@mend/testing';

/**
 * The JSON that hot reads build by concatenation (`jsonText`) must parse, and
 * parse to what `json_build_object` (PostgreSQL's own writer) would have written,
 * for any value: the text values are where a writer could go wrong (quotes,
 * backslashes, control characters, non-ASCII), so they are generated.
 */
describe('jsonText: JSON written by concatenation in PostgreSQL', () => {
  let db: pg.Client;

  beforeAll(async () => {
    db = await connectAs('runtime');
  });

  afterAll(() => db.end());

  const objectOf = (text: string, id: string, n: string, flag: string, day: string, at: string) =>
    jsonText.object([
      ['text', jsonText.string(text)],
      ['id', jsonText.uuid(id)],
      ['n', jsonText.integer(n)],
      ['flag', jsonText.boolean(flag)],
      ['day', jsonText.date(day)],
      ['at', jsonText.instant(at)],
      ['nested', jsonText.object([['text', jsonText.string(text)]])],
    ]);
  const builtIn = (text: string, id: string, n: string, flag: string, day: string, at: string) =>
    `json_build_object('text', ${text}, 'id', ${id}, 'n', ${n}, 'flag', ${flag},
       'day', to_char(${day}, 'YYYY-MM-DD'),
       'at', to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       'nested', json_build_object('text', ${text}))::text`;

  /** Both writers over the rows of `values` (unnested arrays); the two texts of each row. */
  async function bothWriters(values: {
    texts: (string | null)[];
    ids: (string | null)[];
    numbers: (number | null)[];
    flags: (boolean | null)[];
    days: (string | null)[];
    instants: (string | null)[];
  }): Promise<{ concatenated: string; builtIn: string }[]> {
    const { rows } = await db.query<{ concatenated: string; builtIn: string }>(
      `select ${objectOf('v.t', 'v.i', 'v.n', 'v.f', 'v.d', 'v.a')} as concatenated,
              ${builtIn('v.t', 'v.i', 'v.n', 'v.f', 'v.d', 'v.a')} as "builtIn"
         from unnest($1::text[], $2::uuid[], $3::bigint[], $4::boolean[], $5::date[], $6::timestamptz[])
              as v(t, i, n, f, d, a)`,
      [values.texts, values.ids, values.numbers, values.flags, values.days, values.instants],
    );
    return rows;
  }

  it('writes what json_build_object writes, for awkward and for null values', async () => {
    const awkward = [
      'plain',
      '',
      'a "quoted" word',
      'back\\slash and \\" both',
      'line\nbreak\ttab\rreturn',
      '\u0001\u0007\u001f control',
      'ünïcødé — “quotes” 日本語 🙂',
      '</script><b>',
      '{"id":"injected"}',
      "it's",
      null,
    ];
    const rows = await bothWriters({
      texts: awkward,
      ids: awkward.map((_, index) => (index === 10 ? null : `00000000-0000-4000-8000-00000000000${index % 10}`)),
      numbers: awkward.map((_, index) => (index === 10 ? null : index === 0 ? -9_007_199_254_740_991 : index * 7)),
      flags: awkward.map((_, index) => (index === 10 ? null : index % 2 === 0)),
      days: awkward.map((_, index) => (index === 10 ? null : `2026-0${1 + (index % 9)}-2${index % 9}`)),
      instants: awkward.map((_, index) => (index === 10 ? null : `2026-03-29T0${index % 10}:30:00.12${index % 10}Z`)),
    });
    expect(rows).toHaveLength(awkward.length);
    for (const row of rows) expect(JSON.parse(row.concatenated)).toEqual(JSON.parse(row.builtIn));
    // Key order too: the answers are compared as text by the tests of the routes that use them.
    for (const row of rows) {
      expect(JSON.stringify(JSON.parse(row.concatenated))).toBe(JSON.stringify(JSON.parse(row.builtIn)));
    }
    const last = JSON.parse(rows[10].concatenated) as Record<string, unknown>;
    expect(last).toEqual({ text: null, id: null, n: null, flag: null, day: null, at: null, nested: { text: null } });
    // Compact: no space after the separators (json_build_object writes " : " and ", ").
    expect(rows[0].concatenated).toBe(
      '{"text":"plain","id":"00000000-0000-4000-8000-000000000000","n":-9007199254740991,"flag":true,' +
        '"day":"2026-01-20","at":"2026-03-29T00:30:00.120Z","nested":{"text":"plain"}}',
    );
  });

  it('writes any text as json_build_object does (generated strings)', async () => {
    // Any Unicode text PostgreSQL can store (no NUL character).
    const text = fc.string({ unit: 'binary', maxLength: 40 }).map((value) => value.replaceAll('\u0000', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text), { minLength: 1, maxLength: 50 }), async (texts) => {
        const rows = await bothWriters({
          texts,
          ids: texts.map(() => null),
          numbers: texts.map(() => null),
          flags: texts.map(() => null),
          days: texts.map(() => null),
          instants: texts.map(() => null),
        });
        for (const [index, row] of rows.entries()) {
          const parsed = JSON.parse(row.concatenated) as { text: string | null };
          expect(parsed).toEqual(JSON.parse(row.builtIn));
          expect(parsed.text).toBe(texts[index]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('writes an array in the given order, [] for no rows, and never splices a json value in as text', async () => {
    const { rows } = await db.query<{ some: string; none: string; spliced: string }>(
      `select (select ${jsonText.array(jsonText.object([['n', jsonText.integer('g')]]), 'g desc')}
                 from generate_series(1, 3) g) as some,
              (select ${jsonText.array(jsonText.integer('g'), 'g')} from generate_series(1, 0) g) as none,
              ${jsonText.string(`'{"a":1}'::json`)} as spliced`,
    );
    expect(rows[0].some).toBe('[{"n":3},{"n":2},{"n":1}]');
    expect(rows[0].none).toBe('[]');
    expect(JSON.parse(rows[0].spliced)).toBe('{"a":1}');
  });

  it('refuses a value of the wrong type rather than writing it unescaped', async () => {
    await expect(db.query(`select ${jsonText.uuid(`'", "admin": true'`)}`)).rejects.toThrow(/uuid/);
    await expect(db.query(`select ${jsonText.integer(`'1, "admin": true'`)}`)).rejects.toThrow(/bigint/);
    expect(() => jsonText.object([['bad key"', jsonText.integer('1')]])).toThrow('Not a plain JSON key');
  });
});
