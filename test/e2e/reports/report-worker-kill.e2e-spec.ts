import { createHash, randomBytes } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import type { CaseReportModel } from '@mend/reports';
import { testEnvironment } from '@mend/testing';

import { createOwnDatabase, type OwnDatabase } from '../../integration/worker/support/own-database.js';
import { spawnTypeScript, type TypeScriptChild } from '../../integration/worker/support/typescript-child.js';
import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { PERIOD, reportBuilder, seedReportScenario } from './support/report-scenario.js';

interface ReportJson {
  id: string;
  status: string;
  progress: number;
  attempts: number;
  files: { name: string; sha256: string }[];
}

const CHILD = 'test/e2e/reports/support/paged-report-worker.child.ts';

/**
 * A real worker process SIGKILLed in the middle of a case report (after its
 * first progress update, while it holds the job): nothing is stored, the report
 * stays `building` with its progress, and a new worker process picks the job up
 * again (BullMQ's stalled-job check, once the dead worker's 30 s lock has
 * lapsed), restarts the build and stores complete files whose checksums match
 * and whose numbers equal an uninterrupted build of the same request. Its own
 * database: the worker's outbox relay claims every clinic's rows in its
 * database, and must neither take other files' jobs nor lose this one to them.
 */
describe('a worker killed mid-report (real process, SIGKILL)', () => {
  const env: Record<string, string> = {
    MASTER_KEY: randomBytes(32).toString('base64'),
    QUEUE_PREFIX: `${testEnvironment().queuePrefix}-report-kill`,
    OUTBOX_POLL_MS: '50',
  };
  let database: OwnDatabase;
  let api: IdentityApp;
  let world: CaseWorld;
  const children: TypeScriptChild[] = [];

  const worker = (): TypeScriptChild => {
    const child = spawnTypeScript(CHILD, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REDIS_URL: testEnvironment().redisUrl,
      REPORT_CHUNK_DELAY_MS: '1500',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    });
    children.push(child);
    return child;
  };
  const send = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...world.counselor.headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const status = async (id: string) => (await send('GET', `/api/v1/reports/${id}`)).json<ReportJson>();
  const storedFiles = async (id: string) =>
    (
      await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query<{ n: number }>(
            'select count(*)::int as n from report_artifacts where clinic_id = $1 and report_id = $2',
            [world.clinicId, id],
          ),
        )
    )[0].n;

  beforeAll(async () => {
    database = await createOwnDatabase('report_kill');
    env.DATABASE_URL = database.runtimeUrl;
    env.DATABASE_OWNER_URL = database.ownerUrl;
    api = await startIdentityApp({ env });
    world = await createCaseWorld(api);
    await seedReportScenario(api, world);
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await api?.close();
    await database?.drop();
  }, 30_000);

  it('stores nothing from the killed build; the next worker restarts it and stores whole files with the same numbers', async () => {
    const body = { period: PERIOD, kind: 'case', audience: 'care_team', caseId: world.caseId };
    const requested = await send('POST', '/api/v1/reports', body);
    expect(requested.statusCode).toBe(202);
    const id = requested.json<ReportJson>().id;

    const first = worker();
    await first.waitForLine(new RegExp(`^report progress ${id} 10$`), 60_000);
    first.process.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const midway = await status(id);
    expect(midway).toMatchObject({ status: 'building', progress: 10, attempts: 1, files: [] });
    expect(await storedFiles(id)).toBe(0);
    const refused = await send('GET', `/api/v1/reports/${id}/files/report.json`);
    expect(refused.statusCode).toBe(409);

    // A new worker: the job's lock lapses (30 s), the stalled check moves it back, the build restarts.
    const second = worker();
    await second.waitForLine(new RegExp(`^report progress ${id} 98$`), 110_000);
    let ready: ReportJson | undefined;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      ready = await status(id);
      if (ready.status === 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toMatchObject({ status: 'ready', progress: 100, attempts: 2 });
    expect(await storedFiles(id)).toBe(ready?.files.length);
    let model: CaseReportModel | undefined;
    for (const file of ready?.files ?? []) {
      const download = await send('GET', `/api/v1/reports/${id}/files/${file.name}`);
      expect(download.statusCode).toBe(200);
      expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(file.sha256);
      if (file.name === 'report.json') model = JSON.parse(download.body) as CaseReportModel;
    }

    // The same request built without interruption gives the same numbers.
    const again = (await send('POST', '/api/v1/reports', body)).json<ReportJson>().id;
    second.process.kill('SIGKILL');
    await second.exited;
    expect(await reportBuilder(api).build(world.clinicId, again)).toBe('ready');
    const uninterrupted = JSON.parse(
      (await send('GET', `/api/v1/reports/${again}/files/report.json`)).body,
    ) as CaseReportModel;
    const numbers = ({ reportId: _id, asOf: _asOf, ...rest }: CaseReportModel) => rest;
    expect(model).toBeDefined();
    expect(numbers(model as CaseReportModel)).toEqual(numbers(uninterrupted));
  }, 180_000);
});
