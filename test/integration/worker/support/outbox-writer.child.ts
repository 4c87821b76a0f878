// The API's write path alone, in its own process, so that a test can SIGKILL it
// between the business write and the commit (reliability.md JOB-4). Each round
// is what `POST /api/v1/reports` runs: one UnitOfWork transaction (the clinic and
// user set transaction-locally, as the API's UnitOfWorkHandlers do) in which the API's
// own ReportService writes the report request, its outbox row (enqueueJob) and
// its audit event. Inside the transaction, after the writes, it prints
// `inside <reportId>` and waits for a line on stdin: `commit` (commit, then print
// `committed <reportId>`) or `rollback` (throw, then print `rolledback
// <reportId>`). The parent SIGKILLs it instead whenever it likes. Prints `ready`
// once PostgreSQL answers. Settings: DATABASE_URL, MASTER_KEY, FIRE_CLINIC_ID,
// FIRE_USER_ID, FIRE_MEMBERSHIP_ID.
import 'reflect-metadata';

import { createInterface } from 'node:readline';

import {
  createDataSource,
  FieldEncryption,
  initializeDataSource,
  loadConfig,
  masterKeyEnvelope,
  UnitOfWork,
} from '@mend/core';
import { ReportService } from '@mend/reports';

const config = loadConfig(process.env, { database: true });
const envelope = masterKeyEnvelope(config);
if (envelope === null) throw new Error('MASTER_KEY is required');
const dataSource = await initializeDataSource(
  // No entities: the write path below goes through tx.query only (as the API's report requests do).
  createDataSource({ url: config.database.url, entities: [], poolSize: 2, applicationName: 'mend-outbox-fire' }),
  () => undefined,
);
const unitOfWork = new UnitOfWork({ connected: () => dataSource });
const reports = new ReportService(new FieldEncryption(envelope));
const principal = {
  clinicId: process.env.FIRE_CLINIC_ID ?? '',
  userId: process.env.FIRE_USER_ID ?? '',
  membershipId: process.env.FIRE_MEMBERSHIP_ID ?? '',
  roles: ['clinic_admin'] as const,
};

const commands: string[] = [];
const waiting: ((command: string) => void)[] = [];
createInterface({ input: process.stdin }).on('line', (line) => {
  const resolve = waiting.shift();
  if (resolve === undefined) commands.push(line);
  else resolve(line);
});
const nextCommand = (): Promise<string> =>
  new Promise((resolve) => {
    const queued = commands.shift();
    if (queued === undefined) waiting.push(resolve);
    else resolve(queued);
  });

class Rollback extends Error {}

process.stdout.write('ready\n');
for (;;) {
  let reportId = '';
  try {
    await unitOfWork.run(
      principal.clinicId,
      async (tx) => {
        const view = await reports.request(
          tx,
          principal,
          { kind: 'clinic', audience: 'clinic', periodStart: '2026-01-01', periodEnd: '2026-02-01' },
          { kind: 'clinic' },
        );
        reportId = view.id;
        process.stdout.write(`inside ${reportId}\n`);
        if ((await nextCommand()) === 'rollback') throw new Rollback();
      },
      { userId: principal.userId },
    );
    process.stdout.write(`committed ${reportId}\n`);
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    process.stdout.write(`rolledback ${reportId}\n`);
  }
}
