import type { LightMyRequestResponse } from 'fastify';

import { queryValueVerdict } from './support/arbitraries.js';
import { excerpt, problemCode, responseViolations, troubledLogLines } from './support/checks.js';
import type { Operation, Parameter, Schema } from './support/openapi.js';
import { sqlFragments } from './support/payloads.js';
import { countFromEnvironment, pool, selected, summaryLine, writeReport } from './support/run.js';
import { SecurityWorld, type Actor, type Seed } from './support/security-world.js';
import { checksCredential } from './support/verdict.js';

/**
 * FUZZ-2 (reliability.md §7.2, OpenEMR CVE-2026-24908): every query parameter
 * of every operation in the OpenAPI document — sort, order, filters, search,
 * cursors, field choices — gets at least 500 SQL fragments per CI run
 * (2,000 with `npm test -- --long`; MEND_INJECTION_PER_PARAM sets any count), sent by a role the authorization matrix
 * lets succeed, the other parameters as the matrix's valid request has them.
 *
 * - Sort, order and field-selection parameters are allow-lists in the document
 *   (an enum), and every parameter with an enum, a format or a number type
 *   refuses every fragment with 400.
 * - Free-text parameters (a search, a cursor, a version) answer without a 5xx;
 *   a search (`q`) returns only rows containing the text as typed, and any other
 *   free-text filter returns no more rows than a value that matches nothing.
 * - The application's connections meet no PostgreSQL syntax, undefined-object or
 *   data error (SQLSTATE classes 42 and 22) and the application logs no error
 *   while the fragments run.
 */
const PER_PARAM = countFromEnvironment('MEND_INJECTION_PER_PARAM', 500, 2_000);
const CONCURRENCY = 8;
const ALLOW_LISTED = /^(?:sort|sortBy|orderBy|order|fields|select|include|expand|view|direction)$/i;
const NO_MATCH = 'MENDFUZZ-nomatch';

interface Target {
  readonly seed: Seed;
  readonly parameter: Parameter;
  readonly scalar: Schema;
}

/** The number of items in the arrays of a JSON answer (top level and one level down). */
function itemCount(response: LightMyRequestResponse): number {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return 0;
  }
  if (Array.isArray(body)) return body.length;
  if (body === null || typeof body !== 'object') return 0;
  return Object.values(body).reduce<number>((sum, value) => sum + (Array.isArray(value) ? value.length : 0), 0);
}

/** The items of a search answer whose text fields do not contain the searched text. */
function nonMatching(response: LightMyRequestResponse, text: string): number {
  const needle = text.trim().toLowerCase();
  if (needle === '') return 0;
  const body = JSON.parse(response.body) as Record<string, unknown>;
  let wrong = 0;
  for (const value of Object.values(body)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as Record<string, unknown>[]) {
      const texts = Object.values(item).filter((field): field is string => typeof field === 'string');
      if (!texts.some((field) => field.toLowerCase().includes(needle))) wrong += 1;
    }
  }
  return wrong;
}

describe('injection through query parameters (every documented parameter)', () => {
  let security: SecurityWorld;
  let targets: Target[];

  beforeAll(async () => {
    security = await SecurityWorld.start();
    const operations = selected(security.operations).filter((operation) => operation.queryParams.length > 0);
    const seeds = await security.seeds(operations);
    targets = operations.flatMap((operation: Operation) =>
      operation.queryParams.map((parameter) => ({
        seed: seeds.get(operation.key)!,
        parameter,
        scalar: parameter.schema.type === 'array' ? (parameter.schema.items ?? {}) : parameter.schema,
      })),
    );
  }, 300_000);
  afterAll(() => security?.close());

  it('documents every sort, order and field-selection parameter as an allow-list', () => {
    const open = targets
      .filter((target) => ALLOW_LISTED.test(target.parameter.name) && target.scalar.enum === undefined)
      .map((target) => `${target.seed.operation.key} ?${target.parameter.name}`);
    expect(open).toEqual([]);
    console.log(
      `injection: ${targets.length} query parameters, allow-listed by enum: ` +
        targets
          .filter((target) => target.scalar.enum !== undefined)
          .map((target) => `${target.seed.operation.key.split(' ')[1]}?${target.parameter.name}`)
          .join(', '),
    );
  });

  it(`answers ${PER_PARAM}+ SQL fragments per query parameter without a 5xx, a SQL error or a leaked row`, async () => {
    const fragments = sqlFragments(PER_PARAM);
    expect(new Set(fragments).size).toBeGreaterThanOrEqual(PER_PARAM);
    const started = Date.now();
    const logMark = security.logs.lines.length;
    const sqlMark = security.sqlErrors.length;
    const failures: string[] = [];
    const perParameter: Record<string, { sent: number; refused: number; answered: number }> = {};
    const statuses: Record<number, number> = {};

    const tasks = targets.map((target) => async () => {
      const { seed, parameter, scalar } = target;
      const operation = seed.operation;
      const label = `${operation.key} ?${parameter.name}`;
      const actor: Actor = seed.role === null ? security.anonymousActor() : security.actor('A', seed.role);
      const counts = { sent: 0, refused: 0, answered: 0 };
      perParameter[label] = counts;
      const request = (value: string) => ({
        method: operation.method,
        url: security.url(seed, seed.pathValues, { ...seed.query, [parameter.name]: [value] }),
        ...(seed.body !== undefined && { body: seed.body }),
      });
      const baseline = await security.send(request(NO_MATCH), actor, operation);
      const ceiling = baseline.statusCode === 200 ? itemCount(baseline) : 0;
      for (const fragment of fragments) {
        const response = await security.send(request(fragment), actor, operation);
        counts.sent += 1;
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        const problems = responseViolations(request(fragment).url, response);
        const verdict = queryValueVerdict(scalar, fragment);
        if (verdict === 'invalid') {
          if (response.statusCode !== 400)
            problems.push(
              `${response.statusCode} (${problemCode(response)}) for a value outside the allow-list/format: expected 400`,
            );
        } else {
          const allowed = [200, 201, 204, 400, 403, 404, 409, 422, ...(checksCredential(operation) ? [401, 429] : [])];
          if (!allowed.includes(response.statusCode))
            problems.push(`status ${response.statusCode} not in [${allowed.join(', ')}]`);
          // Rows: only for free text (a number Number() reads, such as 0x27, is just a number).
          if (response.statusCode === 200 && scalar.type === 'string' && scalar.format === undefined) {
            if (parameter.name === 'q') {
              const wrong = nonMatching(response, fragment);
              if (wrong > 0) problems.push(`the search returned ${wrong} rows not containing the text`);
            } else if (itemCount(response) > ceiling) {
              problems.push(
                `returned ${itemCount(response)} items, more than the ${ceiling} a value matching nothing gets`,
              );
            }
          }
        }
        if (response.statusCode === 400) counts.refused += 1;
        else counts.answered += 1;
        if (problems.length > 0) {
          failures.push(
            `${label} as ${actor.name}: ${problems.join('; ')}\n  value: ${JSON.stringify(fragment)}\n  response: ${response.statusCode} ${excerpt(response.body, 300)}`,
          );
        }
      }
    });
    await pool(tasks, CONCURRENCY);

    const elapsed = (Date.now() - started) / 1000;
    const sent = Object.values(perParameter).reduce((sum, counts) => sum + counts.sent, 0);
    const sqlTrouble = security.sqlErrors.slice(sqlMark).filter((error) => /^(?:42|22)/.test(error.code));
    const logTrouble = troubledLogLines(security.logs.since(logMark));
    console.log(
      [
        summaryLine(
          'injection',
          { attempts: sent, failures: failures.length + sqlTrouble.length + logTrouble.length },
          { parameters: targets.length, fragments: fragments.length, sqlErrors42or22: sqlTrouble.length },
        ),
        `injection: ${sent} requests, ${fragments.length} SQL fragments × ${targets.length} query parameters in ${elapsed.toFixed(1)} s; ` +
          `statuses ${JSON.stringify(statuses)}; failures ${failures.length}`,
        `  SQL errors met by the application's connections: ${security.sqlErrors.length - sqlMark} ` +
          `(syntax/undefined/data, classes 42 and 22: ${sqlTrouble.length}); error log lines: ${logTrouble.length}`,
        `  per parameter (refused with 400 / answered): ${Object.entries(perParameter)
          .map(([label, counts]) => `${label.split(' ').slice(1).join(' ')} ${counts.refused}/${counts.answered}`)
          .join(', ')}`,
        ...failures.slice(0, 10),
        failures.length > 0 ? `  every failure: ${writeReport('injection-failures.txt', failures)}` : '',
      ].join('\n'),
    );
    expect({ failed: failures.length, first: failures.slice(0, 3).map((failure) => failure.split('\n')[0]) }).toEqual({
      failed: 0,
      first: [],
    });
    expect(Math.min(...Object.values(perParameter).map((counts) => counts.sent))).toBeGreaterThanOrEqual(PER_PARAM);
    expect(sqlTrouble.slice(0, 5)).toEqual([]);
    expect(logTrouble.slice(0, 5)).toEqual([]);
    expect(security.unhandled).toEqual([]);
    expect(security.logLeaks(0).slice(0, 5)).toEqual([]);
  }, 1_800_000);
});
