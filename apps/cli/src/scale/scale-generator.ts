import { createHash } from 'node:crypto';

import {
  fieldAad,
  FieldEncryption,
  type EnvelopeEncryption,
  type TenantTransaction,
  type UnitOfWork,
} from '@mend/core';
import { readExercise } from '@mend/homework';
import { BUILT_IN_MEASURES, optionsOf, scoreAnswers } from '@mend/measures';

import { demoAnswers } from '../commands/demo-homework.js';

/**
 * Options of one scale run. `clientsPerClinic` is per clinic: `--clinics 1 --clients 10000` is one
 * clinic of 10,000 clients (the clinic report's 10k case).
 */
export interface ScaleOptions {
  readonly clinics: number;
  readonly clientsPerClinic: number;
  readonly months: number;
  /** Any text; every id and every varying value derives from it. */
  readonly seed: string;
  /** The last day of the history (`YYYY-MM-DD`, UTC); same seed and same day give the same rows. */
  readonly until: string;
  /** The argon2id hash (PHC) every generated person signs in with: hashed once by the caller. */
  readonly passwordHash: string;
}

export interface ScaleClinic {
  readonly index: number;
  readonly clinicId: string;
  readonly name: string;
  readonly counselors: number;
  readonly supervisors: number;
  /** A few sign-in emails (admin, a supervisor, counselors, clients). */
  readonly sampleEmails: readonly { readonly role: string; readonly email: string }[];
}

export interface ScaleResult {
  readonly clinics: readonly ScaleClinic[];
  readonly seconds: number;
}

/** Shape of one generated clinic (derived from the client count only). */
export interface ClinicShape {
  readonly clients: number;
  readonly coupleCases: number;
  readonly individualCases: number;
  readonly cases: number;
  readonly counselors: number;
  readonly supervisors: number;
}

/** At most this many cases per counselor: the session grid has 140 non-overlapping slots per fortnight. */
const MAX_CASES_PER_COUNSELOR = 130;

export function clinicShape(clients: number): ClinicShape {
  const coupleCases = Math.floor((clients * 2) / 5);
  const individualCases = clients - 2 * coupleCases;
  const cases = coupleCases + individualCases;
  const counselors = Math.max(2, Math.ceil(clients / 100), Math.ceil(cases / MAX_CASES_PER_COUNSELOR));
  const supervisors = Math.max(1, Math.ceil(counselors / 8));
  return { clients, coupleCases, individualCases, cases, counselors, supervisors };
}

/** A version-4-shaped uuid from the md5 of a key (the same as the SQL `pg_temp.scale_id`). */
export function scaleId(key: string): string {
  const m = createHash('md5').update(key).digest('hex');
  const hex = `${m.slice(0, 12)}4${m.slice(13, 16)}8${m.slice(17, 32)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A 28-bit number from the md5 of a key (the same as the SQL `pg_temp.scale_h`). */
export function scaleHash(key: string): number {
  return parseInt(createHash('md5').update(key).digest('hex').slice(0, 7), 16);
}

export function clinicIdOf(seed: string, index: number): string {
  return scaleId(`${seed}:clinic:${index}`);
}

/** Short, email-safe tag of the seed (emails are global: two seeds never collide). */
export function seedTag(seed: string): string {
  return createHash('md5').update(seed).digest('hex').slice(0, 8);
}

export function emailOf(seed: string, clinicIndex: number, person: string): string {
  return `scale-${seedTag(seed)}-c${clinicIndex}-${person}@scale.mend.example`;
}

/**
 * Item answers adding up to `total` (greedy, item by item; PHQ-9 item 9 stays 0), scored by the
 * measures library: each (measure, total) pair is computed once and joined in SQL.
 */
function measureLookup(): { ids: string[]; totals: number[]; answers: string[]; scores: string[]; versions: string[] } {
  const out = { ids: [] as string[], totals: [] as number[], answers: [] as string[], scores: [] as string[] };
  const versions: string[] = [];
  for (const measureId of ['phq-9', 'gad-7', 'csi-4']) {
    const definition = BUILT_IN_MEASURES.find((candidate) => candidate.id === measureId);
    if (definition === undefined) throw new Error(`no built-in measure ${measureId}`);
    for (let total = 0; total <= 30; total += 1) {
      let remaining = total;
      const answers: Record<string, number> = {};
      for (const item of definition.items) {
        const values = optionsOf(definition, item).map((option) => option.value);
        const value = item.id === 'phq9_9' ? 0 : Math.min(remaining, Math.max(...values));
        answers[item.id] = Math.max(Math.min(...values), value);
        remaining -= answers[item.id];
      }
      const score = scoreAnswers(definition, answers);
      if (score.total !== total) continue;
      out.ids.push(measureId);
      out.totals.push(total);
      out.answers.push(JSON.stringify(answers));
      out.scores.push(JSON.stringify(score));
      versions.push(definition.version);
    }
  }
  return { ...out, versions };
}

const NOTE_TEXTS = [
  'Joint session: reviewed the week, practised the time-out plan; both engaged.',
  'Reviewed homework and the ledger; agreed to keep the evening check-in.',
  'Worked on listening without defending; assigned the weekly check-in again.',
  'Session focused on triggers and the contingency plan; no risk indicated.',
];

/**
 * Writes one clinic in one transaction (app.clinic_id set; a superuser connection, so bulk
 * inserts of users skip the self-only policies). Everything but ciphertexts derives from
 * (seed, clinic index, until); encrypted values use the clinic's data key (FieldEncryption).
 */
async function seedOneClinic(
  tx: TenantTransaction,
  options: ScaleOptions,
  index: number,
  envelope: EnvelopeEncryption,
  encryption: FieldEncryption,
  log: (line: string) => void,
): Promise<ScaleClinic> {
  const clinicId = tx.clinicId;
  const shape = clinicShape(options.clientsPerClinic);
  const prefix = `${options.seed}:${index}:`;
  const emailPrefix = `scale-${seedTag(options.seed)}-c${index}-`;
  const timed = async (label: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    log(`clinic ${index}: ${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  // Deterministic helpers, inlined by the planner (temporary: they die with the session).
  await tx.query(`
    create or replace function pg_temp.scale_id(text) returns uuid language sql immutable parallel safe as
      $$ select (substr(m, 1, 12) || '4' || substr(m, 14, 3) || '8' || substr(m, 18, 15))::uuid from md5($1) m $$;
    create or replace function pg_temp.scale_h(text) returns integer language sql immutable parallel safe as
      $$ select ('x' || substr(md5($1), 1, 7))::bit(28)::integer $$`);
  const name = `Scale clinic ${index + 1} (${seedTag(options.seed)})`;
  // $1 clinic, $2 id prefix, $3 until (date), $4 months (start = until - months), written as SQL literals (a
  // parameter a statement does not use has no type); $5... are the statement's own parameters.
  const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const base = [
    `${literal(clinicId)}::uuid`,
    `${literal(prefix)}::text`,
    `${literal(options.until)}::date`,
    `${Math.trunc(options.months)}`,
  ];
  const q = (sql: string, values: unknown[] = []) =>
    tx.query(
      sql.replace(/\$(\d+)/g, (_match, n: string) => (Number(n) <= 4 ? base[Number(n) - 1] : `$${Number(n) - 4}`)),
      values,
    );
  const START = `(($3::date - make_interval(months => $4::int))::date)`;
  const ID = (key: string) => `pg_temp.scale_id($2 || ${key})`;
  const H = (key: string) => `pg_temp.scale_h($2 || ${key})`;

  await timed('people', async () => {
    await q(
      `insert into clinics (id, name, timezone, created_at) values ($1, $5, 'UTC', ${START} - interval '30 days')`,
      [name],
    );
    // The clinic's data key, created (wrapped by the master key) the way FieldEncryption creates it on first use.
    await encryption.encrypt(tx, { table: 'clinics', rowId: clinicId, column: 'scale_key' }, 'synthetic');
    // Staff: one clinic admin, supervisors, counselors. Clients: one portal member each.
    await q(
      `create temp table scale_people on commit drop as
       select 'admin' as key, 'admin' as person, array['clinic_admin'] as roles, 'Scale admin' as display_name
       union all select 'sup' || s, 'supervisor' || s, array['supervisor'], 'Scale supervisor ' || s from generate_series(1, $5) s
       union all select 'co' || c, 'counselor' || c, array['counselor'], 'Scale counselor ' || c from generate_series(1, $6) c
       union all select 'cl' || i, 'client' || i, array['client'], 'Scale client ' || i from generate_series(1, $7) i`,
      [shape.supervisors, shape.counselors, shape.clients],
    );
    await q(
      `insert into users (id, email, display_name, created_at)
       select ${ID(`'u:' || key`)}, $5 || person || '@scale.mend.example', display_name, ${START} - interval '30 days'
         from scale_people`,
      [emailPrefix],
    );
    await q(
      `insert into user_credentials (user_id, password_hash, password_changed_at)
       select ${ID(`'u:' || key`)}, $5, ${START} - interval '30 days' from scale_people`,
      [options.passwordHash],
    );
    await q(
      `insert into memberships (clinic_id, id, user_id, roles, status, created_at)
       select $1, ${ID(`'m:' || key`)}, ${ID(`'u:' || key`)}, roles, 'active', ${START} - interval '30 days' from scale_people`,
    );
    await q(
      `insert into supervision_links (clinic_id, supervisor_membership_id, counselor_membership_id, created_at)
       select $1, ${ID(`'m:sup' || (1 + (c - 1) % $5)`)}, ${ID(`'m:co' || c`)}, ${START} - interval '30 days'
         from generate_series(1, $6) c`,
      [shape.supervisors, shape.counselors],
    );
  });

  await timed('cases', async () => {
    // The case plan: type, status, dates, counselor, session slot, phase; every status and phase.
    await q(
      `create temp table scale_case on commit drop as
       select k, ${ID(`'k:' || k`)} as id,
              case when k <= $5 then 'couple' else 'individual' end as type,
              case when k % 20 = 0 then 'intake' when k % 20 = 1 then 'on_hold'
                   when k % 20 in (2, 3) then 'closed' else 'active' end as status,
              ${ID(`'m:co' || (1 + (k - 1) % $7)`)} as counselor_id,
              (k - 1) / $7 as slot,
              case when k % 20 = 0 then 0 else k % 5 end as phase,
              case when k <= $5 then 2 * k - 1 else 2 * $5 + (k - $5) end as c1,
              case when k <= $5 then 2 * k end as c2,
              case when k % 20 = 0 then $3::date - (3 + ${H(`'ki:' || k`)} % 10)
                   else ${START} + ${H(`'kc:' || k`)} % greatest(1, least(45, ($3::date - ${START}) / 4)) end as created_on
         from generate_series(1, $6) k`,
      [shape.coupleCases, shape.cases, shape.counselors],
    );
    // Activity runs from a week after creation to the closure (closed) or the last day.
    await q(`alter table scale_case add column opened_on date, add column act_end date`);
    await q(
      `update scale_case set opened_on = created_on + 7,
              act_end = case when status = 'closed'
                             then created_on + 7 + (($3::date - created_on - 7) * (50 + ${H(`'kx:' || k`)} % 40)) / 100
                             else $3::date end`,
    );
    await q(
      `create temp table scale_part on commit drop as
       select k.k, k.id as case_id, p.i, ${ID(`'cl:' || p.i`)} as client_id, ${ID(`'m:cl' || p.i`)} as membership_id,
              case when k.type = 'individual' then 'individual' when p.i = k.c1 then 'harmed' else 'harming' end as role,
              ${ID(`'cm:' || k.k || ':' || p.i`)} as commitment_id
         from scale_case k cross join lateral (select k.c1 as i union all select k.c2 where k.c2 is not null) p`,
    );
    await q(`create index on scale_part (k)`);
    await q(
      `insert into clients (clinic_id, id, display_name, email, timezone, reminder_channel, membership_id, status,
                            created_by_membership_id, created_at, updated_at)
       select $1, p.client_id, 'Scale client ' || p.i, $5 || 'client' || p.i || '@scale.mend.example', 'UTC', 'in_app',
              p.membership_id, 'active', ${ID(`'m:admin'`)}, k.created_on::timestamptz, k.created_on::timestamptz
         from scale_part p join scale_case k on k.k = p.k`,
      [emailPrefix],
    );
    await q(
      `insert into cases (clinic_id, id, title, type, status, status_changed_at, outcome, safety_status,
                          created_by_membership_id, created_at, updated_at)
       select $1, id, 'Scale case ' || k, type, status,
              case status when 'intake' then created_on::timestamptz
                          when 'active' then (opened_on)::timestamptz
                          when 'on_hold' then greatest(opened_on + 1, $3::date - 20)::timestamptz
                          else act_end::timestamptz + interval '17 hours' end,
              case when status = 'closed' then (array['continue', 'redefine', 'end'])[1 + k % 3] end, 'normal',
              counselor_id, created_on::timestamptz, created_on::timestamptz
         from scale_case`,
    );
    await q(
      `insert into case_status_changes (clinic_id, id, case_id, from_status, to_status, outcome, reason, changed_at,
                                        changed_by_membership_id)
       select $1, ${ID(`'ks:' || k || ':1'`)}, id, null, 'intake', null, null, created_on::timestamptz, counselor_id
         from scale_case
       union all
       select $1, ${ID(`'ks:' || k || ':2'`)}, id, 'intake', 'active', null, 'Intake complete', opened_on::timestamptz, counselor_id
         from scale_case where status <> 'intake'
       union all
       select $1, ${ID(`'ks:' || k || ':3'`)}, id, 'active', status,
              case when status = 'closed' then (array['continue', 'redefine', 'end'])[1 + k % 3] end,
              case when status = 'closed' then 'Work completed' else 'Paused at the couple''s request' end,
              case when status = 'closed' then act_end::timestamptz + interval '17 hours'
                   else greatest(opened_on + 1, $3::date - 20)::timestamptz end,
              counselor_id
         from scale_case where status in ('on_hold', 'closed')`,
    );
    await q(
      `insert into case_participants (clinic_id, case_id, client_id, role, added_at)
       select $1, p.case_id, p.client_id, p.role, k.created_on::timestamptz from scale_part p join scale_case k on k.k = p.k`,
    );
    // One primary counselor; a co-counselor (not primary) on one case in ten.
    await q(
      `insert into case_care_team (clinic_id, case_id, membership_id, is_primary, added_at)
       select $1, id, counselor_id, true, created_on::timestamptz from scale_case
       union all
       select $1, id, ${ID(`'m:co' || (1 + k % $5)`)}, false, opened_on::timestamptz from scale_case
        where k % 10 = 5 and $5 > 1`,
      [shape.counselors],
    );
  });

  await timed('repair plans and ledger', async () => {
    // Phase changes P0 -> ... -> the case's phase, spread over its activity.
    await q(
      `create temp table scale_phase on commit drop as
       select k.k, k.id, p, (k.opened_on + (p * (k.act_end - k.opened_on)) / (k.phase + 1)) as on_day
         from scale_case k cross join generate_series(1, k.phase) p where k.phase > 0`,
    );
    await q(
      `insert into repair_plans (clinic_id, case_id, current_revision, phase, phase_changed_at, review_date, created_at, updated_at)
       select $1, k.id, case when k.k % 3 <> 0 and k.status <> 'intake' then 2 else 1 end, 'P' || k.phase,
              coalesce((select max(f.on_day::timestamptz + interval '15 hours' + f.p * interval '1 minute')
                          from scale_phase f where f.k = k.k),
                       k.created_on::timestamptz + interval '10 hours'),
              case when k.k % 3 <> 0 and k.status <> 'intake' then k.act_end + 28 end,
              k.created_on::timestamptz + interval '10 hours',
              case when k.k % 3 <> 0 and k.status <> 'intake'
                   then (k.opened_on + (k.act_end - k.opened_on) / 2)::timestamptz + interval '11 hours'
                   else k.created_on::timestamptz + interval '10 hours' end
         from scale_case k`,
    );
    await q(
      `insert into repair_plan_phase_changes (clinic_id, id, case_id, from_phase, to_phase, reason, changed_at,
                                              changed_by_membership_id)
       select $1, ${ID(`'ph:' || f.k || ':' || f.p`)}, f.id, 'P' || (f.p - 1), 'P' || f.p, 'Readiness reviewed in session',
              f.on_day::timestamptz + interval '15 hours' + f.p * interval '1 minute', k.counselor_id
         from scale_phase f join scale_case k on k.k = f.k`,
    );
    // Revision 1 at the opening; a second revision (review date set) on two cases in three.
    await q(
      `create temp table scale_doc on commit drop as
       select k.k, jsonb_build_object(
                'breachAssessment', jsonb_build_array(jsonb_build_object('id', ${ID(`'ba:' || k.k`)}, 'aspect', 'what_happened',
                                    'text', 'Synthetic assessment for a generated case', 'visibility', 'shared')),
                'goals', '[]'::jsonb,
                'commitments', (select jsonb_agg(jsonb_build_object('id', p.commitment_id, 'participantClientIds',
                                    jsonb_build_array(p.client_id), 'what', 'Evening check-in of ten minutes', 'cadence', 'daily',
                                    'cadenceDetail', null, 'verification', 'Recorded in the trust ledger', 'startDate', null,
                                    'endDate', null) order by p.i) from scale_part p where p.k = k.k),
                'boundaries', '[]'::jsonb, 'needs', '[]'::jsonb, 'contingencyPlans', '[]'::jsonb, 'reviewDate', null) as doc
         from scale_case k`,
    );
    await q(
      `insert into repair_plan_revisions (clinic_id, case_id, revision, id, document, change_note, author_membership_id, created_at)
       select $1, k.id, 1, ${ID(`'rv:' || k.k || ':1'`)}, d.doc, 'First plan', k.counselor_id, k.created_on::timestamptz + interval '10 hours'
         from scale_case k join scale_doc d on d.k = k.k
       union all
       select $1, k.id, 2, ${ID(`'rv:' || k.k || ':2'`)}, jsonb_set(d.doc, '{reviewDate}', to_jsonb((k.act_end + 28)::text)),
              'Review date set', k.counselor_id, (k.opened_on + (k.act_end - k.opened_on) / 2)::timestamptz + interval '11 hours'
         from scale_case k join scale_doc d on d.k = k.k where k.k % 3 <> 0 and k.status <> 'intake'`,
    );
    // Daily check-ins by each participant from the move to P1 on (one day in ten skipped).
    await q(
      `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status, occurred_on,
                                         note, recorded_by_membership_id, recorded_by_kind, recorded_at)
       select $1, ${ID(`'ci:' || p.k || ':' || p.i || ':' || d`)}, p.case_id, p.commitment_id, p.client_id,
              case when ${H(`'cs:' || p.i || ':' || d`)} % 10 < 7 then 'kept'
                   when ${H(`'cs:' || p.i || ':' || d`)} % 10 < 9 then 'partly_kept' else 'missed' end,
              f.on_day + d, null, p.membership_id, 'participant', (f.on_day + d)::timestamptz + interval '20 hours'
         from scale_part p
         join scale_phase f on f.k = p.k and f.p = 1
         join scale_case k on k.k = p.k
         cross join generate_series(0, k.act_end - f.on_day - 1) d
        where ${H(`'cd:' || p.i || ':' || d`)} % 10 <> 0`,
    );
  });

  await timed('homework', async () => {
    const exercise = await readExercise(tx, 'E07');
    // One weekly E07 per case from its opening (paired for couples); open cases also have the next week's.
    await q(`alter table scale_case add column weeks integer`);
    await q(
      `update scale_case set weeks = case when status = 'intake' then 0
                                          when status = 'closed' then (act_end - opened_on) / 7 + 1
                                          else ($3::date - opened_on) / 7 + 2 end`,
    );
    await q(
      `insert into assignments (clinic_id, id, case_id, exercise_ref, custom_exercise_id, exercise_version, exercise_title,
                                exercise_snapshot, paired, visibility, release_requires_review, schedule, status,
                                created_by_membership_id, created_at)
       select $1, ${ID(`'a:' || k`)}, id, $5, null, $6, $7, $8::jsonb, type = 'couple', 'shared', false,
              jsonb_build_object('kind', 'recurring', 'frequency', 'weekly', 'startsOn', opened_on::text, 'count', weeks),
              'active', counselor_id, opened_on::timestamptz + interval '9 hours'
         from scale_case where weeks > 0`,
      [exercise.ref, exercise.version, exercise.content.title, JSON.stringify(exercise.content)],
    );
    // Due before the day before the last day: completed (submitted, about 4 in 5) or overdue; later: assigned.
    await q(
      `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, part, opens_on, due_on, pair_id,
                                           status, status_changed_at, created_at)
       select $1, ${ID(`'o:' || p.k || ':' || p.i || ':' || w`)}, ${ID(`'a:' || p.k`)}, p.case_id, p.client_id, null,
              k.opened_on + 7 * w, k.opened_on + 7 * w, case when k.type = 'couple' then ${ID(`'pr:' || p.k || ':' || w`)} end,
              case when k.opened_on + 7 * w >= $3::date - 1 then 'assigned'
                   when ${H(`'sb:' || p.i || ':' || w`)} % 5 <> 0 then 'completed' else 'overdue' end,
              case when k.opened_on + 7 * w >= $3::date - 1 then k.opened_on::timestamptz + interval '9 hours'
                   when ${H(`'sb:' || p.i || ':' || w`)} % 5 <> 0
                     then (k.opened_on + 7 * w + case when ${H(`'lt:' || p.i || ':' || w`)} % 6 = 0 then 1 else 0 end)::timestamptz
                          + interval '18 hours'
                   else (k.opened_on + 7 * w + 1)::timestamptz end,
              k.opened_on::timestamptz + interval '9 hours'
         from scale_part p join scale_case k on k.k = p.k cross join generate_series(0, k.weeks - 1) w
        where k.weeks > 0`,
    );
  });

  await timed('submissions (encrypted)', async () => {
    const [key] = await tx.query<{ version: number; wrapped_key: string }>(
      'select version, wrapped_key from clinic_data_keys where clinic_id = $1 and retired_at is null order by version desc limit 1',
      [clinicId],
    );
    const dataKey = envelope.unwrapDataKey(`${clinicId.toLowerCase()}~${key.version}`, key.wrapped_key);
    const answers = JSON.stringify(demoAnswers('E07'));
    const batch = 20_000;
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await tx.query<{
        id: string;
        occ: string;
        case_id: string;
        client_id: string;
        at: Date;
        opens_on: string;
      }>(
        `select o.id as occ, o.case_id, o.client_id, o.status_changed_at as at, o.opens_on::text as opens_on
           from assignment_occurrences o where o.clinic_id = $1 and o.status = 'completed' and o.id > $3
          order by o.id limit $2`,
        [clinicId, batch, after],
      );
      if (rows.length === 0) break;
      const ids = rows.map((row) => scaleId(`${prefix}s:${row.occ}`));
      const sealed = ids.map((id) =>
        envelope.encrypt(dataKey, answers, fieldAad(clinicId, { table: 'submissions', rowId: id, column: 'answers' })),
      );
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, draft_version,
                                  created_at, updated_at, submitted_at, submitted_by_membership_id)
         select $1, t.id, o.id, o.case_id, o.client_id, 'submitted', t.answers, 1,
                o.opens_on::timestamptz + interval '8 hours', o.status_changed_at, o.status_changed_at, c.membership_id
           from unnest($2::uuid[], $3::uuid[], $4::text[]) as t (id, occ, answers)
           join assignment_occurrences o on o.clinic_id = $1 and o.id = t.occ
           join clients c on c.clinic_id = $1 and c.id = o.client_id`,
        [clinicId, ids, rows.map((row) => row.occ), sealed],
      );
      if (rows.length < batch) break;
      after = rows[rows.length - 1].occ;
    }
  });

  await timed('measures', async () => {
    const lookup = measureLookup();
    await q(
      `create temp table scale_measure on commit drop as
       select * from unnest($5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::text[]) as t (measure_id, total, answers, score, version)`,
      [lookup.ids, lookup.totals, lookup.answers, lookup.scores, lookup.versions],
    );
    // Every two weeks per participant: PHQ-9 and GAD-7; CSI-4 in couple cases. Scores drift down (or up).
    await q(
      `insert into measure_administrations (clinic_id, id, case_id, client_id, measure_id, measure_version, status, answers,
                                            score, total, administered_at, recorded_by_membership_id, recorded_by_kind, created_at)
       select $1, ${ID(`'ma:' || p.i || ':' || v.m || ':' || n`)}, p.case_id, p.client_id, v.m, s.version, 'completed', s.answers,
              s.score, s.total, (k.opened_on + 14 * n)::timestamptz + interval '19 hours', p.membership_id, 'client',
              (k.opened_on + 14 * n)::timestamptz + interval '19 hours'
         from scale_part p join scale_case k on k.k = p.k
         cross join (values ('phq-9', 24, 1), ('gad-7', 21, 1), ('csi-4', 21, -1)) v(m, mx, dir)
         cross join generate_series(0, (k.act_end - k.opened_on) / 14) n
         join scale_measure s on s.measure_id = v.m
          and s.total = greatest(0, least(v.mx, case when v.dir = 1 then 6 + ${H(`'mb:' || p.i || ':' || v.m`)} % 14 - n * (${H(`'md:' || p.i`)} % 3) / 4
                                                    else 8 + ${H(`'mb:' || p.i || ':' || v.m`)} % 8 + n * (${H(`'md:' || p.i`)} % 3) / 4 end
                                                + ${H(`'mn:' || p.i || ':' || v.m || ':' || n`)} % 3 - 1))
        where k.status <> 'intake' and (v.m <> 'csi-4' or k.type = 'couple')`,
    );
    // Safety alerts: one client in 20, raised from a measure or by hand; most acknowledged by the primary counselor.
    await q(
      `insert into safety_alerts (clinic_id, id, case_id, subject_client_id, tier, trigger, rule_ids, source_type, source_id,
                                  spans, excerpt, reason, suggest_safety_hold, status, raised_at, raised_by_membership_id,
                                  acknowledged_at, acknowledged_by_membership_id)
       select $1, ${ID(`'al:' || p.i`)}, p.case_id, p.client_id, 1 + ${H(`'at:' || p.i`)} % 3,
              case when p.i % 60 = 0 then 'manual' else 'measure' end, '[]'::jsonb, null, null, '[]'::jsonb, null, null, false,
              case when ${H(`'as:' || p.i`)} % 5 = 0 then 'open' else 'acknowledged' end,
              (k.opened_on + ${H(`'ad:' || p.i`)} % greatest(1, k.act_end - k.opened_on))::timestamptz + interval '19 hours 5 minutes',
              case when p.i % 60 = 0 then k.counselor_id end,
              case when ${H(`'as:' || p.i`)} % 5 <> 0
                then (k.opened_on + ${H(`'ad:' || p.i`)} % greatest(1, k.act_end - k.opened_on))::timestamptz
                     + interval '19 hours 5 minutes' + (5 + ${H(`'aa:' || p.i`)} % 115) * interval '1 minute' end,
              case when ${H(`'as:' || p.i`)} % 5 <> 0 then k.counselor_id end
         from scale_part p join scale_case k on k.k = p.k
        where p.i % 20 = 0 and k.status <> 'intake'`,
    );
  });

  await timed('sessions and notes (encrypted)', async () => {
    // A fortnightly grid per counselor: slot s -> day (s / 10) % 14 of the fortnight, hour 8 + s % 10; never overlapping.
    await q(
      `insert into therapy_sessions (clinic_id, id, case_id, counselor_membership_id, kind, individual_client_id, modality,
                                     starts_at, ends_at, status, status_changed_at, created_by_membership_id, created_at, updated_at)
       select $1, ${ID(`'se:' || k.k || ':' || n`)}, k.id, k.counselor_id,
              case when k.type = 'couple' then 'joint' else 'individual' end,
              case when k.type = 'individual' then ${ID(`'cl:' || k.c1`)} end,
              (array['in_person', 'video', 'phone'])[1 + ${H(`'sm:' || k.k`)} % 3],
              t.starts_at, t.starts_at + interval '50 minutes',
              case when t.day >= $3::date then 'scheduled'
                   when ${H(`'sx:' || k.k || ':' || n`)} % 12 = 0 then 'cancelled'
                   when ${H(`'sx:' || k.k || ':' || n`)} % 25 = 1 then 'no_show' else 'completed' end,
              case when t.day >= $3::date then least(t.starts_at - interval '7 days', $3::date::timestamptz) else t.starts_at + interval '50 minutes' end,
              k.counselor_id, least(t.starts_at - interval '7 days', $3::date::timestamptz), least(t.starts_at - interval '7 days', $3::date::timestamptz)
         from scale_case k
         cross join generate_series(0, (($3::date + 14) - ${START}) / 14) n
         cross join lateral (select ${START} + 14 * n + (k.slot / 10) % 14 as day) g
         cross join lateral (select g.day, g.day::timestamptz + (8 + k.slot % 10) * interval '1 hour' as starts_at) t
        where k.status <> 'intake' and t.day >= k.opened_on
          and t.day <= case when k.status = 'closed' then k.act_end else $3::date + 13 end`,
    );
    const [key] = await tx.query<{ version: number; wrapped_key: string }>(
      'select version, wrapped_key from clinic_data_keys where clinic_id = $1 and retired_at is null order by version desc limit 1',
      [clinicId],
    );
    const dataKey = envelope.unwrapDataKey(`${clinicId.toLowerCase()}~${key.version}`, key.wrapped_key);
    const batch = 20_000;
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await tx.query<{ id: string }>(
        `select id from therapy_sessions where clinic_id = $1 and status = 'completed' and id > $3 order by id limit $2`,
        [clinicId, batch, after],
      );
      if (rows.length === 0) break;
      const ids = rows.map((row) => scaleId(`${prefix}n:${row.id}`));
      const signed = rows.map((row) => scaleHash(`${prefix}ns:${row.id}`) % 10 !== 0);
      const bodies = rows.map((row, at) =>
        envelope.encrypt(
          dataKey,
          JSON.stringify({ text: NOTE_TEXTS[scaleHash(`${prefix}nt:${row.id}`) % NOTE_TEXTS.length] }),
          fieldAad(clinicId, { table: 'progress_notes', rowId: ids[at], column: 'body' }),
        ),
      );
      await tx.query(
        `insert into progress_notes (clinic_id, id, case_id, session_id, author_membership_id, template, status, body,
                                     key_version, revision, created_at, updated_at, signed_at, cosign_required)
         select $1, t.id, s.case_id, s.id, s.counselor_membership_id, 'free',
                case when t.signed then 'signed' else 'draft' end, t.body, $5, 1,
                s.ends_at + interval '30 minutes', s.ends_at + interval '30 minutes',
                case when t.signed then s.ends_at + interval '2 hours' end, false
           from unnest($2::uuid[], $3::uuid[], $4::text[], $6::boolean[]) as t (id, session_id, body, signed)
           join therapy_sessions s on s.clinic_id = $1 and s.id = t.session_id`,
        [clinicId, ids, rows.map((row) => row.id), bodies, key.version, signed],
      );
      if (rows.length < batch) break;
      after = rows[rows.length - 1].id;
    }
  });

  const sample = (role: string, person: string) => ({ role, email: `${emailPrefix}${person}@scale.mend.example` });
  return {
    index,
    clinicId,
    name,
    counselors: shape.counselors,
    supervisors: shape.supervisors,
    sampleEmails: [
      sample('clinic_admin', 'admin'),
      sample('supervisor', 'supervisor1'),
      sample('counselor', 'counselor1'),
      sample('counselor', 'counselor2'),
      sample('client', 'client1'),
      sample('client', 'client2'),
    ],
  };
}

/**
 * The scale generator (issue 12): `options.clinics` clinics of `options.clientsPerClinic`
 * clients each with `options.months` months of history ending on `options.until`. Runs on a
 * superuser unit of work (bulk inserts skip row-level security; every row still carries its
 * clinic and passes the schema's constraints and triggers). Refuses a seed already present.
 */
export async function seedScale(
  unitOfWork: UnitOfWork,
  envelope: EnvelopeEncryption,
  options: ScaleOptions,
  log: (line: string) => void = () => undefined,
): Promise<ScaleResult> {
  const started = performance.now();
  const encryption = new FieldEncryption(envelope);
  const clinics: ScaleClinic[] = [];
  for (let index = 0; index < options.clinics; index += 1) {
    const clinicId = clinicIdOf(options.seed, index);
    const clinic = await unitOfWork.run(clinicId, async (tx) => {
      const [existing] = await tx.query<{ n: number }>('select count(*)::int as n from clinics where id = $1', [
        clinicId,
      ]);
      if (existing.n > 0) {
        throw new Error(`clinic ${index} of this seed already exists: use another --seed or a fresh database`);
      }
      return seedOneClinic(tx, options, index, envelope, encryption, log);
    });
    clinics.push(clinic);
  }
  await unitOfWork.runWithoutClinic(async (tx) => {
    await tx.query('analyze');
  });
  return { clinics, seconds: (performance.now() - started) / 1000 };
}
