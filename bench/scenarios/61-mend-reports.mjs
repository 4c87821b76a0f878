import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { withClient } from '../lib/context.mjs';
import { percentile } from '../lib/stats.mjs';

const execFileAsync = promisify(execFile);

/** A year of history ending on the first of the current UTC month (the report period). */
function yearPeriod() {
  const now = new Date();
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth(), 1));
  const iso = (date) => date.toISOString().slice(0, 10);
  return { start: iso(start), end: iso(end) };
}

/**
 * Writes a synthetic clinic with SQL (generate_series) in one transaction: `clients` clients in
 * couple cases (one counselor per 100 clients), a year of history each —
 * phase changes, weekly homework (about 3 in 4 submitted, most on time),
 * monthly PHQ-9 and GAD-7 scores drifting down and CSI-4 scores per partner,
 * one safety alert per 20 clients (most acknowledged), 24 sessions a year per
 * case with a progress note each (about one in ten unsigned), and, with
 * `ledger`, daily trust-ledger check-ins for two commitments per partner plus
 * two boundary events a month (the one-year couple of the case report).
 * Answers and note bodies are placeholders: reports never read them.
 */
async function seedClinic(seedUrl, { clients, ledger, period }) {
  const clinicId = randomUUID();
  await withClient(seedUrl, async (client) => {
    await client.query('begin');
    await client.query(`select set_config('app.clinic_id', $1, true)`, [clinicId]);
    const q = (sql, values = []) => client.query(sql, [clinicId, ...values]);
    const start = `${period.start}T00:00:00Z`;
    await q(
      `insert into clinics (id, name, timezone, created_at) values ($1::uuid, 'Bench report clinic', 'UTC', $2::timestamptz - interval '30 days')`,
      [start],
    );
    const counselors = Math.max(1, Math.ceil(clients / 100));
    await q(
      `insert into users (id, email, display_name)
       select md5($1::uuid::text || 'u' || i)::uuid, 'bench-report-' || $1::uuid::text || '-' || i || '@bench.mend.example', 'Bench counselor ' || i
         from generate_series(1, $2) i`,
      [counselors],
    );
    await q(
      `insert into memberships (clinic_id, id, user_id, roles, created_at)
       select $1::uuid, md5($1::uuid::text || 'm' || i)::uuid, md5($1::uuid::text || 'u' || i)::uuid, '{counselor}', $3::timestamptz - interval '30 days'
         from generate_series(1, $2) i`,
      [counselors, start],
    );
    await q(
      `insert into clients (clinic_id, id, display_name, timezone, created_at)
       select $1::uuid, md5($1::uuid::text || 'c' || i)::uuid, 'Bench client ' || i, 'UTC', $3::timestamptz - interval '20 days'
         from generate_series(1, $2) i`,
      [clients, start],
    );
    const cases = Math.ceil(clients / 2);
    await q(
      `insert into cases (clinic_id, id, title, type, status, created_at)
       select $1::uuid, md5($1::uuid::text || 'k' || i)::uuid, 'Bench case ' || i, 'couple',
              case when i % 10 = 0 then 'closed' else 'active' end, $3::timestamptz - interval '10 days'
         from generate_series(1, $2) i`,
      [cases, start],
    );
    await q(
      `insert into case_participants (clinic_id, case_id, client_id, role)
       select $1::uuid, md5($1::uuid::text || 'k' || i)::uuid, md5($1::uuid::text || 'c' || (2 * i - 1))::uuid, 'harmed' from generate_series(1, $2) i
       union all
       select $1::uuid, md5($1::uuid::text || 'k' || i)::uuid, md5($1::uuid::text || 'c' || (2 * i))::uuid, 'harming' from generate_series(1, $2) i
        where 2 * i <= $3`,
      [cases, clients],
    );
    await q(
      `insert into case_care_team (clinic_id, case_id, membership_id, is_primary)
       select $1::uuid, md5($1::uuid::text || 'k' || i)::uuid, md5($1::uuid::text || 'm' || (1 + i % $3))::uuid, true
         from generate_series(1, $2) i`,
      [cases, counselors],
    );
    await q(
      `insert into repair_plans (clinic_id, case_id, phase) select $1::uuid, md5($1::uuid::text || 'k' || i)::uuid, 'P2'
         from generate_series(1, $2) i`,
      [cases],
    );
    await q(
      `insert into repair_plan_phase_changes (clinic_id, id, case_id, from_phase, to_phase, reason, changed_at, changed_by_membership_id)
       select $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'k' || i)::uuid, f, t, 'Bench', $3::timestamptz + d * interval '1 day',
              md5($1::uuid::text || 'm' || (1 + i % $4))::uuid
         from generate_series(1, $2) i, (values ('P0', 'P1', 20), ('P1', 'P2', 150 + 0)) v(f, t, d)`,
      [cases, start, counselors],
    );
    // Homework: one weekly assignment per client, 52 occurrences; ~3 in 4 submitted.
    await q(
      `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                paired, visibility, schedule, created_by_membership_id, created_at)
       select $1::uuid, md5($1::uuid::text || 'a' || c)::uuid, md5($1::uuid::text || 'k' || ((c + 1) / 2))::uuid, 'E07', 1, 'Bench', '{}', false,
              'shared', '{"kind":"once","dueOn":"2026-01-01"}', md5($1::uuid::text || 'm' || (1 + ((c + 1) / 2) % $3))::uuid,
              $4::timestamptz - interval '5 days'
         from generate_series(1, $2) c`,
      [clients, counselors, start],
    );
    await q(
      `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on, status, created_at)
       select $1::uuid, md5($1::uuid::text || 'o' || c || '-' || w)::uuid, md5($1::uuid::text || 'a' || c)::uuid,
              md5($1::uuid::text || 'k' || ((c + 1) / 2))::uuid, md5($1::uuid::text || 'c' || c)::uuid,
              $3::date + w * 7 + 2, $3::date + w * 7 + 2,
              case when (c + w) % 4 = 0 then 'overdue' else 'completed' end, $3::timestamptz
         from generate_series(1, $2) c, generate_series(0, 51) w`,
      [clients, period.start],
    );
    await q(
      `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at, created_at)
       select $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'o' || c || '-' || w)::uuid, md5($1::uuid::text || 'k' || ((c + 1) / 2))::uuid,
              md5($1::uuid::text || 'c' || c)::uuid, 'submitted', 'bench-placeholder',
              ($3::date + w * 7 + 2 + case when (c + w) % 5 = 0 then 1 else 0 end)::timestamptz + interval '18 hours',
              ($3::date + w * 7 + 2)::timestamptz
         from generate_series(1, $2) c, generate_series(0, 51) w where (c + w) % 4 <> 0`,
      [clients, period.start],
    );
    // Measures: monthly PHQ-9 and GAD-7, CSI-4 every two months, per client.
    await q(
      `insert into measure_administrations (clinic_id, id, case_id, client_id, measure_id, measure_version, status, answers,
                                            score, total, administered_at, recorded_by_kind, created_at)
       select $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'k' || ((c + 1) / 2))::uuid, md5($1::uuid::text || 'c' || c)::uuid, m, '1',
              'completed', '{}', '{}',
              greatest(0, least(mx, base + (c % 7) - (mo * (c % 3)) / 2)),
              $3::timestamptz + (mo * 30 + 3) * interval '1 day', 'care_team', $3::timestamptz
         from generate_series(1, $2) c, generate_series(0, 11) mo,
              (values ('phq-9', 15, 27), ('gad-7', 12, 21), ('csi-4', 9, 21)) v(m, base, mx)
        where m <> 'csi-4' or mo % 2 = 0`,
      [clients, start],
    );
    await q(
      `insert into safety_alerts (clinic_id, id, case_id, subject_client_id, tier, trigger, rule_ids, spans, status, raised_at,
                                  acknowledged_at, acknowledged_by_membership_id)
       select $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'k' || ((c + 1) / 2))::uuid, md5($1::uuid::text || 'c' || c)::uuid, 1 + c % 3,
              'manual', '[]', '[]', case when c % 100 = 0 then 'open' else 'acknowledged' end,
              $3::timestamptz + (c % 360) * interval '1 day',
              case when c % 100 = 0 then null else $3::timestamptz + (c % 360) * interval '1 day' + (5 + c % 90) * interval '1 minute' end,
              case when c % 100 = 0 then null else md5($1::uuid::text || 'm' || (1 + ((c + 1) / 2) % $4))::uuid end
         from generate_series(1, $2, 20) c`,
      [clients, start, counselors],
    );
    // Sessions (one-minute slots over 360 days, never overlapping) with a progress note each.
    await q(
      `insert into therapy_sessions (clinic_id, id, case_id, counselor_membership_id, kind, modality, starts_at, ends_at, status,
                                     status_changed_at, created_by_membership_id, created_at)
       select $1::uuid, md5($1::uuid::text || 's' || i || '-' || n)::uuid, md5($1::uuid::text || 'k' || i)::uuid,
              md5($1::uuid::text || 'm' || (1 + i % $3))::uuid, 'joint', 'video',
              $4::timestamptz + ((i * 24 + n) % 518400) * interval '1 minute',
              $4::timestamptz + ((i * 24 + n) % 518400) * interval '1 minute' + interval '1 minute',
              case when n % 12 = 0 then 'cancelled' else 'completed' end,
              $4::timestamptz + interval '1 day', md5($1::uuid::text || 'm' || (1 + i % $3))::uuid, $4::timestamptz
         from generate_series(1, $2) i, generate_series(0, 23) n`,
      [cases, counselors, start],
    );
    await q(
      `insert into progress_notes (clinic_id, id, case_id, session_id, author_membership_id, template, status, body, key_version,
                                   created_at, updated_at, signed_at)
       select $1::uuid, gen_random_uuid(), t.case_id, t.id, t.counselor_membership_id, 'free',
              case when (get_byte(decode(md5(t.id::text), 'hex'), 0)) % 10 = 0 then 'draft' else 'signed' end, 'bench-placeholder', 1,
              t.starts_at, t.starts_at,
              case when (get_byte(decode(md5(t.id::text), 'hex'), 0)) % 10 = 0 then null else t.starts_at + interval '1 hour' end
         from therapy_sessions t where t.clinic_id = $1 and t.status = 'completed'`,
    );
    if (ledger) {
      await q(
        `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status, occurred_on,
                                           recorded_by_membership_id, recorded_by_kind, recorded_at)
         select $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'k1')::uuid, md5($1::uuid::text || 'commitment' || p)::uuid,
                md5($1::uuid::text || 'c' || (1 + p % 2))::uuid,
                case when d % 9 = 0 then 'missed' when d % 7 = 0 then 'partly_kept' else 'kept' end,
                $2::date + d, md5($1::uuid::text || 'm1')::uuid, 'care_team', ($2::date + d)::timestamptz + interval '20 hours'
           from generate_series(0, 364) d, generate_series(0, 3) p`,
        [period.start],
      );
      await q(
        `insert into boundary_events (clinic_id, id, case_id, boundary_id, occurred_at, severity, reported_by_membership_id,
                                      reported_by_kind, recorded_at, completed_at, completed_by_membership_id)
         select $1::uuid, gen_random_uuid(), md5($1::uuid::text || 'k1')::uuid, gen_random_uuid(), $2::timestamptz + (m * 15) * interval '1 day',
                'moderate', md5($1::uuid::text || 'm1')::uuid, 'care_team', $2::timestamptz + (m * 15) * interval '1 day',
                case when m % 3 = 0 then null else $2::timestamptz + (m * 15 + 2) * interval '1 day' end,
                case when m % 3 = 0 then null else md5($1::uuid::text || 'm1')::uuid end
           from generate_series(0, 23) m`,
        [start],
      );
    }
    await client.query('commit');
  });
  return clinicId;
}

async function buildInChild(ctx, urls, input) {
  const { stdout, stderr } = await execFileAsync(
    process.execPath,
    [join(ctx.root, 'bench/lib/report-build-child.mjs'), ctx.distDir, JSON.stringify(input)],
    {
      cwd: ctx.root,
      env: { ...process.env, DATABASE_URL: urls.runtimeUrl, MASTER_KEY: ctx.runSecret('master', 32), TZ: 'UTC' },
      timeout: 600_000,
      maxBuffer: 1 << 20,
    },
  );
  if (process.env.BENCH_REPORT_TRACE === 'true') process.stderr.write(stderr);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/**
 * Progress reports (issue 9), built by the built report builder in a child
 * process (as the worker's `reports.build` job: short units of work, PDF with
 * vector charts + JSON + CSV, files encrypted and stored with the ready status):
 *
 * 1. A case report (care team) for one year of a couple's data: 1,460 daily
 *    ledger check-ins, 104 weekly homework items, 60 measure scores, 24
 *    boundary events, 48 sessions and notes; 20 builds, p50/p95 (target p95 <=
 *    500 ms).
 * 2. The clinic report for generated clinics of 5,000 and 10,000 clients with a
 *    year of history each (`BENCH_REPORT_CLIENTS` overrides, e.g. `1000,2000`;
 *    `--quick` uses 500 and 1,000): build time and the child's peak RSS, one
 *    process per size, and the growth ratio (targets <= 30 s and <= 400 MB at
 *    10,000, ratio <= 2.2).
 */
export const scenario = {
  name: 'mend-reports',
  description: 'case report (one year of a couple) p95; clinic report at two sizes: time, peak RSS, growth',
  quick: true,
  async run(ctx) {
    const urls = await ctx.mendDatabase();
    // The scratch database as the admin role: a superuser, so the bulk inserts (users included) skip
    // row-level security; the reports are then built as the runtime role, under it.
    const seedUrl = (await ctx.scratchDatabase()).adminUrl;
    const period = yearPeriod();
    const rows = [];

    const couple = await seedClinic(seedUrl, { clients: 2, ledger: true, period });
    const caseId = await withClient(seedUrl, async (client) => {
      const { rows: found } = await client.query(`select md5($1::text || 'k1')::uuid as id`, [couple]);
      return found[0].id;
    });
    const caseRun = await buildInChild(ctx, urls, {
      clinicId: couple,
      kind: 'case',
      audience: 'care_team',
      caseId,
      start: period.start,
      end: period.end,
      repeat: ctx.quick ? 10 : 20,
    });
    const note = `${caseRun.times.length} builds of a one-year couple case; files ${Math.round(caseRun.bytes / 1024)} kB`;
    rows.push(
      { metric: 'case_report_p50', value: percentile(caseRun.times, 50), unit: 'ms', better: 'lower', note },
      {
        metric: 'case_report_p95',
        value: percentile(caseRun.times, 95),
        unit: 'ms',
        better: 'lower',
        note: 'target <= 500 ms',
      },
    );

    const sizes = (process.env.BENCH_REPORT_CLIENTS ?? (ctx.quick ? '500,1000' : '5000,10000'))
      .split(',')
      .map((value) => Number(value.trim()))
      .filter((value) => value > 0);
    const seconds = [];
    for (const clients of sizes) {
      const seeded = performance.now();
      const clinicId = await seedClinic(seedUrl, { clients, ledger: false, period });
      await withClient(seedUrl, (client) => client.query('analyze'));
      const seedSeconds = (performance.now() - seeded) / 1000;
      const run = await buildInChild(ctx, urls, {
        clinicId,
        kind: 'clinic',
        audience: 'clinic',
        start: period.start,
        end: period.end,
        repeat: 1,
      });
      seconds.push(run.times[0] / 1000);
      rows.push(
        {
          metric: `clinic_report_${clients}_clients_s`,
          value: run.times[0] / 1000,
          unit: 's',
          better: 'lower',
          note: `one year of history generated in ${seedSeconds.toFixed(0)} s; target <= 30 s at 10,000`,
        },
        {
          metric: `clinic_report_${clients}_clients_peak_rss`,
          value: run.maxRssMb,
          unit: 'MB',
          better: 'lower',
          note: 'the building process (node, libraries, one page of rows); target <= 400 MB at 10,000',
        },
      );
    }
    if (seconds.length >= 2) {
      rows.push({
        metric: 'clinic_report_growth',
        value: seconds.at(-1) / seconds[0],
        unit: 'x',
        better: 'lower',
        note: `time at ${sizes.at(-1)} clients over time at ${sizes[0]}; target <= 2.2 for 2x the clients`,
      });
    }
    return rows;
  },
};
