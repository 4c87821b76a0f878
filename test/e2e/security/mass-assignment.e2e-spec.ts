import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';

import { testSeed } from '@mend/testing';

import { rowChecksums } from '../authorization/support/row-checksums.js';
import { objectsOf, pathText, setAt, type JsonPath } from './support/arbitraries.js';
import { excerpt, responseViolations } from './support/checks.js';
import { tablesContaining } from './support/db-scan.js';
import type { Operation, Schema } from './support/openapi.js';
import { PRIVILEGED_FIELDS } from './support/payloads.js';
import {
  checkProperty,
  countFromEnvironment,
  pool,
  propertySeed,
  replayHint,
  selected,
  summaryLine,
  failureLines,
  expectNoFailures,
  type PropertyOutcome,
} from './support/run.js';
import { SecurityWorld, type Actor, type Seed } from './support/security-world.js';

/**
 * ISO-5 (reliability.md §7.1, BOPLA): every create and update body of the
 * OpenAPI document (POST, PUT, PATCH with a JSON object body) gets at least 100
 * requests per CI run (1,000 with `npm test -- --long`; MEND_MASS_ASSIGNMENT_PER_BODY
 * sets any count) made of the
 * authorization matrix's valid body plus 1–4 fields it does not declare, at the
 * top level or in any nested object: the privileged names (clinicId, ownerId,
 * authorId, role, status, signedAt, visibility, id, createdAt… in
 * support/payloads.ts) and every field the API's own responses carry, with
 * marker values — another clinic's id, a marker uuid, 'clinic_admin', dates in
 * 1999. Each request is sent by a role the matrix lets succeed.
 *
 * Each one is refused with 400 naming every injected field (rule
 * `whitelistValidation`), or, if accepted, its answer carries none of the
 * injected values; after the run no table holds a marker (the database is read
 * back, every column of every row) and the other clinic's rows are unchanged.
 */
const PER_BODY = countFromEnvironment('MEND_MASS_ASSIGNMENT_PER_BODY', 100, 1_000);
const CONCURRENCY = 6;
const MARK_TEXT = 'MENDFUZZ-MASS';
const MARK_UUID = 'dead0000-0000-4000-8000-00000000beef';
const MARK_DATE = '1999-12-31T23:59:59.000Z';

interface Injection {
  readonly path: JsonPath;
  readonly value: unknown;
}

/** Property names of every response schema: the fields the server owns. */
function responseFieldNames(schemas: Readonly<Record<string, Schema>>): string[] {
  const names = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    if (!name.endsWith('Response')) continue;
    for (const property of Object.keys(schema.properties ?? {})) names.add(property);
  }
  return [...names];
}

describe('mass assignment (every create and update body)', () => {
  let security: SecurityWorld;
  let seeds: Map<string, Seed>;
  let operations: Operation[];

  beforeAll(async () => {
    security = await SecurityWorld.start();
    operations = selected(security.operations).filter(
      (operation) =>
        ['POST', 'PUT', 'PATCH'].includes(operation.method) &&
        operation.body?.properties !== undefined &&
        Object.keys(operation.body.properties).length > 0,
    );
    seeds = await security.seeds(operations);
  }, 300_000);
  afterAll(() => security?.close());

  it(`refuses or ignores injected fields in ${PER_BODY}+ requests per body, and persists none of them`, async () => {
    const runSeed = testSeed();
    const started = Date.now();
    const clinicB = security.clinicId('B');
    const values: readonly unknown[] = [
      MARK_TEXT,
      MARK_UUID,
      clinicB,
      'clinic_admin',
      ['clinic_admin', 'supervisor'],
      true,
      MARK_DATE,
      '1999-12-31',
      999_999,
      { id: MARK_UUID, clinicId: clinicB, note: MARK_TEXT },
    ];
    const serverFields = responseFieldNames(security.document.components.schemas);
    const clinicBBefore = await rowChecksums(security.world.admin, [clinicB]);
    let refused = 0;
    let ignored = 0;
    const baseStatuses: Record<string, number> = {};

    const tasks = operations.map((operation) => async (): Promise<PropertyOutcome> => {
      const seed = seeds.get(operation.key);
      if (seed === undefined || operation.body === undefined) throw new Error(`no seed for ${operation.key}`);
      const actor: Actor = seed.role === null ? security.anonymousActor() : security.actor('A', seed.role);
      const url = security.url(seed);
      const base = seed.body ?? {};
      // The control: the body as the matrix built it, as that actor.
      const control = await security.send({ method: operation.method, url, body: base }, actor, operation);
      baseStatuses[control.statusCode] = (baseStatuses[control.statusCode] ?? 0) + 1;

      const objects = objectsOf(operation.body);
      const injection = fc.constantFrom(...objects).chain((object) => {
        const declared = new Set(Object.keys(object.schema.properties ?? {}));
        const names = [...new Set([...PRIVILEGED_FIELDS, ...serverFields])].filter((name) => !declared.has(name));
        return fc.record({
          path: fc.constantFrom(...names).map((name): JsonPath => [...object.path, name]),
          value: fc.constantFrom(...values),
        });
      });
      const arbitrary = fc.uniqueArray(injection, {
        minLength: 1,
        maxLength: 4,
        selector: (entry: Injection) => pathText(entry.path),
      });
      const name = `${operation.key} as ${actor.name}`;
      return checkProperty(
        name,
        arbitrary,
        async (injections) => {
          let body: unknown = base;
          for (const entry of injections) body = setAt(body, entry.path, entry.value);
          const response = await security.send({ method: operation.method, url, body }, actor, operation);
          const problems = judge(url, response, injections);
          if (problems.length > 0) {
            throw new Error(
              [
                `${name}: ${problems.join('; ')}`,
                `  injected: ${injections.map((entry) => pathText(entry.path)).join(', ')}`,
                `  request: ${operation.method} ${url} body ${excerpt(JSON.stringify(body), 400)}`,
                `  response: ${response.statusCode} ${excerpt(response.body, 400)}`,
                `  ${replayHint(runSeed, operation.key)}`,
              ].join('\n'),
            );
          }
        },
        propertySeed(runSeed, name),
        PER_BODY,
      );
    });

    function judge(url: string, response: LightMyRequestResponse, injections: readonly Injection[]): string[] {
      const problems = responseViolations(url, response);
      if (response.statusCode === 400) {
        const errors = (response.json<{ errors?: { field: string; rule: string }[] }>().errors ?? []).filter(
          (error) => error.rule === 'whitelistValidation',
        );
        for (const entry of injections) {
          const field = pathText(entry.path).replace(/^body\.?/, '');
          if (!errors.some((error) => error.field === field))
            problems.push(`400 does not name ${field} as not allowed`);
        }
        refused += 1;
      } else {
        const leaked = [MARK_TEXT, MARK_UUID, clinicB, '1999-12-31'].filter((marker) => response.body.includes(marker));
        if (leaked.length > 0)
          problems.push(`accepted with ${response.statusCode}, and the answer carries ${leaked.join(', ')}`);
        if (response.statusCode < 300) ignored += 1;
      }
      return problems;
    }

    const outcomes = await pool(tasks, CONCURRENCY);
    const failures = outcomes.filter((outcome) => outcome.failure !== undefined);
    const total = outcomes.reduce((sum, outcome) => sum + outcome.runs, 0);
    const persisted = await tablesContaining(security.world.admin, [
      `%${MARK_TEXT}%`,
      `%${MARK_UUID}%`,
      '%1999-12-31%',
    ]);
    const clinicBAfter = await rowChecksums(security.world.admin, [clinicB]);
    console.log(
      [
        summaryLine(
          'mass-assignment',
          { attempts: total, failures: failures.length + persisted.length, seed: runSeed },
          { bodies: outcomes.length, refused, ignored, persistedTables: persisted.length },
        ),
        `mass assignment: ${total} requests over ${outcomes.length} bodies in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(run seed ${runSeed}; replay: MEND_TEST_SEED=${runSeed} [MEND_FUZZ_ONLY='<route regex>'])`,
        `  refused with 400 naming the fields: ${refused}; accepted with the fields ignored: ${ignored}; failed properties: ${failures.length}`,
        `  the matrix's own bodies, sent once each: statuses ${JSON.stringify(baseStatuses)}`,
        `  tables holding an injected marker afterwards: ${persisted.length === 0 ? 'none' : persisted.join(', ')}`,
        ...failureLines(failures, 'mass-assignment-failures.txt', 10),
      ].join('\n'),
    );

    expectNoFailures(failures);
    expect(Math.min(...outcomes.map((outcome) => outcome.runs))).toBeGreaterThanOrEqual(PER_BODY);
    expect(persisted).toEqual([]);
    expect(clinicBAfter).toEqual(clinicBBefore);
    expect(security.unhandled).toEqual([]);
    expect(security.logLeaks(0, security.seedSecrets(seeds.values())).slice(0, 5)).toEqual([]);
  }, 1_800_000);
});
