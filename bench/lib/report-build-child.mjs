// A child process that builds reports with the BUILT report builder (dist/libs/reports), exactly as the
// worker's `reports.build` job does (several short units of work, PDF + JSON + CSV rendered, files
// encrypted and stored with the ready status), and reports the time of each build and its own peak
// RSS. Run by bench/scenarios/61-mend-reports.mjs, one process per measurement so the peak RSS is
// that build's.
//
//   node report-build-child.mjs <distDir> <json: { clinicId, kind, audience, caseId?, start, end, repeat }>
// env: DATABASE_URL (runtime role), MASTER_KEY.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [distDir, json] = process.argv.slice(2);
const input = JSON.parse(json);
const load = (path) => import(pathToFileURL(join(distDir, path)).href);
const core = await load('libs/core/src/index.js');
// The worker's heap setting (apps/worker/src/heap-growth.ts), so the build's time and peak RSS are the worker's.
const { applyHeapGrowth } = await load('apps/worker/src/heap-growth.js');
applyHeapGrowth(
  Number(
    process.env.WORKER_HEAP_GROWING_PERCENT ??
      core.CONFIG_VARIABLES.find((variable) => variable.name === 'WORKER_HEAP_GROWING_PERCENT').defaultValue,
  ),
);
const { ENTITIES } = await load('libs/platform/src/index.js');
const { ReportBuilder } = await load('libs/reports/src/index.js');

const dataSource = await core.initializeDataSource(
  core.createDataSource({
    url: process.env.DATABASE_URL,
    entities: ENTITIES,
    poolSize: 4,
    applicationName: 'bench-report',
  }),
  () => undefined,
);
const plain = new core.UnitOfWork({ connected: () => dataSource });
// BENCH_REPORT_TRACE=true: each query over 20 ms to stderr (what a build spends its time on).
const traced = {
  run: (clinicId, work, options) =>
    plain.run(
      clinicId,
      (tx) => {
        const query = tx.query.bind(tx);
        tx.query = async (sql, values) => {
          const started = performance.now();
          const rows = await query(sql, values);
          const ms = performance.now() - started;
          const text = typeof sql === 'string' ? sql : sql.text;
          if (ms > 20) process.stderr.write(`query ${ms.toFixed(0)} ms: ${text.replace(/\s+/g, ' ').slice(0, 100)}\n`);
          return rows;
        };
        return work(tx);
      },
      options,
    ),
  runWithoutClinic: (work, options) => plain.runWithoutClinic(work, options),
};
const unitOfWork = process.env.BENCH_REPORT_TRACE === 'true' ? traced : plain;
const envelope = new core.EnvelopeEncryption({ id: 'k1', key: Buffer.from(process.env.MASTER_KEY, 'base64') });
const builder = new ReportBuilder(unitOfWork, new core.FieldEncryption(envelope));

const times = [];
let bytes = 0;
for (let run = 0; run < input.repeat; run += 1) {
  const id = randomUUID();
  await unitOfWork.run(input.clinicId, (tx) =>
    tx.query(
      `insert into report_requests (clinic_id, id, kind, audience, period_start, period_end, timezone, as_of, case_id)
       values ($1, $2, $3, $4, $5, $6, 'UTC', now(), $7)`,
      [input.clinicId, id, input.kind, input.audience, input.start, input.end, input.caseId ?? null],
    ),
  );
  const started = performance.now();
  const outcome = await builder.build(input.clinicId, id);
  times.push(performance.now() - started);
  if (outcome !== 'ready') throw new Error(`build ended ${outcome}`);
  const [row] = await unitOfWork.run(input.clinicId, (tx) =>
    tx.query('select sum(byte_size)::int as bytes from report_artifacts where clinic_id = $1 and report_id = $2', [
      input.clinicId,
      id,
    ]),
  );
  bytes = row.bytes;
}
await dataSource.destroy();
process.stdout.write(`${JSON.stringify({ times, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
