import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Schema } from './support/openapi.js';
import { selected, summaryLine, writeReport } from './support/run.js';
import { SecurityWorld, type Actor, type Seed } from './support/security-world.js';

/**
 * FUZZ-2's sqlmap run (reliability.md §7.2), outside `npm test`:
 *
 *   npx jest -c test/e2e/security/sqlmap.jest.config.cjs
 *
 * The API listens on a loopback port with the two-clinic world; for every query
 * parameter of every GET operation in the OpenAPI document, Debian's sqlmap
 * (1.7.2) probes that one parameter of the authorization matrix's valid request
 * (boolean, error, UNION, stacked and time-based techniques, PostgreSQL), signed
 * in as a role the matrix lets succeed. Expected: no injectable parameter.
 */
const LEVEL = process.env.MEND_SQLMAP_LEVEL ?? '2';
const RISK = process.env.MEND_SQLMAP_RISK ?? '1';

describe('sqlmap against the local API', () => {
  let security: SecurityWorld;
  let seeds: Map<string, Seed>;
  let origin: string;

  beforeAll(async () => {
    const probe = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined) throw new Error('sqlmap is not installed: apt-get install -y sqlmap');
    security = await SecurityWorld.start();
    const operations = selected(security.operations).filter(
      (operation) => operation.method === 'GET' && operation.queryParams.length > 0,
    );
    seeds = await security.seeds(operations);
    const app = security.world.api.app;
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as AddressInfo;
    origin = `http://127.0.0.1:${address.port}`;
  }, 300_000);
  afterAll(() => security?.close());

  /**
   * A cursor the route itself handed out (the `nextCursor` of a one-item page), so that sqlmap's
   * original request succeeds and its probes vary a value that reaches the query.
   */
  async function realCursor(seed: Seed, actor: Actor): Promise<string | undefined> {
    const page = await security.send(
      { method: 'GET', url: security.url(seed, seed.pathValues, { ...seed.query, limit: ['1'] }) },
      actor,
      seed.operation,
    );
    if (page.statusCode !== 200) return undefined;
    // `nextCursor` on most pages; any `next…` string field the page has otherwise.
    const body = page.json<Record<string, unknown>>();
    const next =
      body.nextCursor ??
      Object.entries(body).find(([key, value]) => /^next/.test(key) && typeof value === 'string')?.[1];
    return typeof next === 'string' ? next : undefined;
  }

  it('finds no injectable query parameter', async () => {
    const output = mkdtempSync(join(tmpdir(), 'mend-sqlmap-'));
    const results: string[] = [];
    const injectable: string[] = [];
    const started = Date.now();
    let totalRequests = 0;
    const refusedByValidation: string[] = [];
    try {
      for (const seed of seeds.values()) {
        const actor = seed.role === null ? security.anonymousActor() : security.actor('A', seed.role);
        for (const parameter of seed.operation.queryParams) {
          // A fresh login session per parameter: a long probe must not outlive the access token and
          // then see nothing but 401s (which sqlmap would report as "not injectable").
          await security.renew(actor);
          const query = { ...seed.query };
          query[parameter.name] = query[parameter.name] ?? [
            (['cursor', 'before'].includes(parameter.name) ? await realCursor(seed, actor) : undefined) ??
              exampleValue(parameter.name, parameter.schema),
          ];
          const url = `${origin}${security.url(seed, seed.pathValues, query)}`;
          const probeStarted = Date.now();
          const mark = security.logs.lines.length;
          // Asynchronously: the API answering sqlmap runs in this very process.
          const run = await runSqlmap([
            '-u',
            url,
            '-p',
            parameter.name,
            '--batch',
            '--dbms=PostgreSQL',
            `--level=${LEVEL}`,
            `--risk=${RISK}`,
            '--technique=BEUST',
            '--time-sec=2',
            '--flush-session',
            // A version that names nothing answers 404, which sqlmap would take for a missing page.
            '--ignore-code=404',
            '--disable-coloring',
            `--output-dir=${output}`,
            ...(actor.accessToken === null ? [] : ['--headers', `Authorization: Bearer ${actor.accessToken}`]),
          ]);
          const text = `${run.stdout}${run.stderr}`;
          const found = /sqlmap identified the following injection point|parameter '[^']+' is vulnerable/i.test(text);
          const clean = /do(?:es)? not (?:seem|appear) to be injectable/i.test(text);
          const label = `${seed.operation.key} ?${parameter.name}`;
          const verdict = found ? 'INJECTABLE' : !clean ? `no verdict (exit ${run.status})` : 'not injectable';
          const completed = security.logs.since(mark).filter((line) => line.includes('"request completed"'));
          const requests = completed.length;
          const statuses = new Map<string, number>();
          for (const line of completed) {
            const status = /"statusCode":(\d+)/.exec(line)?.[1];
            if (status !== undefined) statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
          // Whether the probe got past validation (a 2xx, or the handler's own 404/409/422). When every
          // answer was 400, no value reached a query (the original one included: no data to page from,
          // say): reported as "validation only", not a failure. A probe that never got past sign-in or
          // access (only 401/403) tested nothing and fails.
          const reached = [...statuses.keys()].some((status) => /^(?:2\d\d|404|409|422)$/.test(status));
          const validationOnly = !reached && [...statuses.keys()].every((status) => status === '400');
          if (validationOnly) refusedByValidation.push(`${seed.operation.key} ?${parameter.name}`);
          totalRequests += requests;
          results.push(
            `${label}: ${verdict} after ${requests} requests ${JSON.stringify(Object.fromEntries(statuses))} ` +
              `(${((Date.now() - probeStarted) / 1000).toFixed(0)} s)`,
          );
          if (found || !clean) injectable.push(`${label}: ${verdict}\n${text.slice(-2000)}`);
          else if (!reached && !validationOnly)
            injectable.push(`${label}: no request of the probe got past sign-in and access (only 401/403)`);
        }
      }
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
    console.log(
      [
        summaryLine(
          'sqlmap',
          { attempts: totalRequests, failures: injectable.length },
          {
            parameters: results.length,
            validationOnly: refusedByValidation.length,
            level: LEVEL,
            risk: RISK,
            seconds: ((Date.now() - started) / 1000).toFixed(0),
          },
        ),
        ...results,
        `  every answer 400 (the value never reached a query): ${refusedByValidation.join(', ') || 'none'}`,
      ].join('\n'),
    );
    if (injectable.length > 0) writeReport('sqlmap-findings.txt', injectable);
    expect(injectable).toEqual([]);
  });
});

/** Runs sqlmap to its end (at most 30 minutes), collecting its output. */
function runSqlmap(args: readonly string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60 * 1000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status }));
  });
}

/**
 * A value the parameter's validation accepts, so that sqlmap's original request passes it (sqlmap compares
 * its variations with that answer): the first enum value, the example, a number in range, a well-formed
 * uuid, date or boolean.
 */
function exampleValue(name: string, schema: Schema): string {
  const scalar = schema.type === 'array' ? (schema.items ?? {}) : schema;
  if (scalar.enum !== undefined && scalar.enum.length > 0) return String(scalar.enum[0]);
  if (typeof scalar.example === 'string' || typeof scalar.example === 'number') return String(scalar.example);
  if (scalar.type === 'number' || scalar.type === 'integer') return String(scalar.minimum ?? 1);
  if (scalar.type === 'boolean') return 'true';
  if (scalar.format === 'uuid') return randomUUID();
  if (scalar.format === 'date') return '2026-01-01';
  if (scalar.format === 'date-time') return '2026-01-01T00:00:00.000Z';
  if (name === 'country') return 'US';
  return 'x';
}
