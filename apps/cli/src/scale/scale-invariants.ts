import type { FieldEncryption, UnitOfWork } from '@mend/core';
import { occurrenceDates, type ScheduleInput } from '@mend/homework';
import { BUILT_IN_MEASURES, scoreAnswers } from '@mend/measures';

/** JSON with object keys sorted (jsonb does not keep the key order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Each check counts the rows that break one rule of the domain; all must be 0. */
const CHECKS: readonly { readonly name: string; readonly sql: string }[] = [
  {
    name: 'every case has exactly one primary counselor, an active counselor of the clinic',
    sql: `select count(*) from cases k where k.clinic_id = $1 and 1 <> (
            select count(*) from case_care_team t join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id
             where t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary
               and 'counselor' = any (m.roles) and m.status = 'active')`,
  },
  {
    name: 'participants are active clients of the clinic with a client membership; couples have 2, individuals 1',
    sql: `select count(*) from cases k where k.clinic_id = $1 and (
            (select count(*) from case_participants p join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
               join memberships m on m.clinic_id = c.clinic_id and m.id = c.membership_id
              where p.clinic_id = k.clinic_id and p.case_id = k.id and c.status = 'active' and m.roles = array['client'])
            <> case k.type when 'couple' then 2 else 1 end
            or (select count(*) from case_participants p where p.clinic_id = k.clinic_id and p.case_id = k.id)
            <> case k.type when 'couple' then 2 else 1 end)`,
  },
  {
    name: 'case status and status_changed_at are those of the last status change; closed cases have an outcome',
    sql: `select count(*) from cases k cross join lateral (
            select s.to_status, s.changed_at from case_status_changes s where s.clinic_id = k.clinic_id and s.case_id = k.id
             order by s.changed_at desc limit 1) last
           where k.clinic_id = $1 and (last.to_status <> k.status or last.changed_at <> k.status_changed_at
                 or (k.status = 'closed') <> (k.outcome is not null) or k.created_at > k.status_changed_at)`,
  },
  {
    name: 'repair plan phase is the last phase change (P0 without any); current revision is the latest',
    sql: `select count(*) from repair_plans p where p.clinic_id = $1 and (
            p.phase <> coalesce((select c.to_phase from repair_plan_phase_changes c where c.clinic_id = p.clinic_id
                                   and c.case_id = p.case_id order by c.changed_at desc limit 1), 'P0')
            or p.current_revision <> (select max(r.revision) from repair_plan_revisions r
                                       where r.clinic_id = p.clinic_id and r.case_id = p.case_id))`,
  },
  {
    name: 'phase changes step one phase at a time from P0',
    sql: `select count(*) from repair_plan_phase_changes c where c.clinic_id = $1
             and substr(c.to_phase, 2)::int <> substr(c.from_phase, 2)::int + 1`,
  },
  {
    name: 'check-ins: by a participant of the case, on a commitment of the current plan that names them',
    sql: `select count(*) from commitment_check_ins i
            join repair_plans p on p.clinic_id = i.clinic_id and p.case_id = i.case_id
            join repair_plan_revisions r on r.clinic_id = p.clinic_id and r.case_id = p.case_id and r.revision = p.current_revision
           where i.clinic_id = $1 and not exists (
             select 1 from jsonb_array_elements(r.document -> 'commitments') c
              where c ->> 'id' = i.commitment_id::text and c -> 'participantClientIds' ? i.participant_client_id::text)`,
  },
  {
    name: 'occurrences belong to their assignment case and to a participant of it',
    sql: `select count(*) from assignment_occurrences o join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
           where o.clinic_id = $1 and (a.case_id <> o.case_id or not exists (
             select 1 from case_participants p where p.clinic_id = o.clinic_id and p.case_id = o.case_id and p.client_id = o.client_id))`,
  },
  {
    name: 'submissions: on an occurrence of their author, case matching; completed occurrences have exactly one',
    sql: `select (select count(*) from submissions s join assignment_occurrences o on o.clinic_id = s.clinic_id and o.id = s.occurrence_id
                   where s.clinic_id = $1 and (o.client_id <> s.author_client_id or o.case_id <> s.case_id
                         or (s.status = 'submitted') <> (o.status = 'completed')
                         or (s.status = 'submitted' and s.submitted_at <> o.status_changed_at)))
           + (select count(*) from assignment_occurrences o where o.clinic_id = $1 and o.status = 'completed'
                and not exists (select 1 from submissions s where s.clinic_id = o.clinic_id and s.occurrence_id = o.id))`,
  },
  {
    name: 'occurrence status matches its dates (overdue after the due day, completed after opening)',
    sql: `select count(*) from assignment_occurrences o where o.clinic_id = $1 and (
            (o.status = 'overdue' and o.due_on >= o.status_changed_at::date)
            or (o.status = 'completed' and o.status_changed_at::date < o.opens_on))`,
  },
  {
    name: 'notes: one per completed session, by its counselor; signed notes have signed_at after the session',
    sql: `select (select count(*) from progress_notes n join therapy_sessions s on s.clinic_id = n.clinic_id and s.id = n.session_id
                   where n.clinic_id = $1 and (s.status <> 'completed' or s.case_id <> n.case_id
                         or s.counselor_membership_id <> n.author_membership_id or n.signed_at < s.ends_at))
           + (select count(*) from therapy_sessions s where s.clinic_id = $1 and s.status = 'completed'
                and not exists (select 1 from progress_notes n where n.clinic_id = s.clinic_id and n.session_id = s.id))`,
  },
  {
    name: 'sessions: by the case primary counselor; individual sessions with a participant',
    sql: `select count(*) from therapy_sessions s where s.clinic_id = $1 and (
            not exists (select 1 from case_care_team t where t.clinic_id = s.clinic_id and t.case_id = s.case_id
                         and t.membership_id = s.counselor_membership_id)
            or (s.individual_client_id is not null and not exists (select 1 from case_participants p
                 where p.clinic_id = s.clinic_id and p.case_id = s.case_id and p.client_id = s.individual_client_id)))`,
  },
  {
    name: 'measures and alerts are about a participant of their case; acknowledgements by the care team',
    sql: `select (select count(*) from measure_administrations m where m.clinic_id = $1 and not exists (
                   select 1 from case_participants p where p.clinic_id = m.clinic_id and p.case_id = m.case_id and p.client_id = m.client_id))
           + (select count(*) from safety_alerts a where a.clinic_id = $1 and (not exists (
                   select 1 from case_participants p where p.clinic_id = a.clinic_id and p.case_id = a.case_id and p.client_id = a.subject_client_id)
                 or (a.acknowledged_by_membership_id is not null and not exists (select 1 from case_care_team t
                   where t.clinic_id = a.clinic_id and t.case_id = a.case_id and t.membership_id = a.acknowledged_by_membership_id))
                 or a.acknowledged_at < a.raised_at))`,
  },
  {
    name: 'encrypted answers and note bodies are sealed with a data key of this clinic',
    sql: `select (select count(*) from submissions s where s.clinic_id = $1
                   and split_part(s.answers, '.', 2) not in (select k.clinic_id::text || '~' || k.version from clinic_data_keys k where k.clinic_id = $1))
           + (select count(*) from progress_notes n where n.clinic_id = $1
                   and split_part(n.body, '.', 2) <> n.clinic_id::text || '~' || n.key_version)`,
  },
];

export interface InvariantReport {
  readonly clinicId: string;
  readonly violations: readonly { readonly rule: string; readonly rows: number }[];
  readonly checked: number;
}

/**
 * Checks one generated clinic against the domain's rules (the SQL checks above), the schedule
 * rule of every assignment (occurrence dates = the homework library's `occurrenceDates`), the
 * measure scores (re-scored with the measures library) and a sample of encrypted values
 * (decrypted with FieldEncryption). Returns the violations; `assertScaleInvariants` throws.
 */
export async function checkScaleInvariants(
  unitOfWork: UnitOfWork,
  encryption: FieldEncryption,
  clinicId: string,
): Promise<InvariantReport> {
  return unitOfWork.run(clinicId, async (tx) => {
    const violations: { rule: string; rows: number }[] = [];
    for (const check of CHECKS) {
      const [row] = await tx.query<Record<string, string>>(check.sql, [clinicId]);
      const rows = Number(Object.values(row)[0]);
      if (rows !== 0) violations.push({ rule: check.name, rows });
    }
    // Occurrence dates of every assignment, as the homework library computes them for its schedule.
    const assignments = await tx.query<{
      schedule: ScheduleInput;
      created: string;
      dates: string[];
      recipients: number;
    }>(
      `select a.schedule, a.created_at::date::text as created,
              array_agg(distinct o.due_on::text order by o.due_on::text) as dates, count(distinct o.client_id)::int as recipients
         from assignments a join assignment_occurrences o on o.clinic_id = a.clinic_id and o.assignment_id = a.id
        where a.clinic_id = $1 group by a.id, a.schedule, a.created_at`,
      [clinicId],
    );
    let badSchedules = 0;
    for (const assignment of assignments) {
      const expected = occurrenceDates(assignment.schedule, assignment.created)?.map((dates) => dates.dueOn) ?? [];
      if (expected.join(',') !== assignment.dates.join(',')) badSchedules += 1;
    }
    if (badSchedules > 0)
      violations.push({ rule: 'occurrence dates follow the assignment schedule', rows: badSchedules });
    // Measure scores as the measures library scores the stored answers.
    const groups = await tx.query<{
      measure_id: string;
      answers: Record<string, number>;
      score: unknown;
      total: number;
      n: number;
    }>(
      `select measure_id, answers, score, total, count(*)::int as n from measure_administrations
        where clinic_id = $1 and status = 'completed' group by measure_id, answers, score, total`,
      [clinicId],
    );
    let badScores = 0;
    for (const group of groups) {
      const definition = BUILT_IN_MEASURES.find((candidate) => candidate.id === group.measure_id);
      const score = definition === undefined ? null : scoreAnswers(definition, group.answers);
      if (score === null || score.total !== group.total || canonical(score) !== canonical(group.score)) {
        badScores += group.n;
      }
    }
    if (badScores > 0)
      violations.push({ rule: 'measure scores are the library score of the answers', rows: badScores });
    // A sample of ciphertexts decrypts with the clinic's key through FieldEncryption.
    const sealedSubmissions = await tx.query<{ id: string; answers: string }>(
      'select id, answers from submissions where clinic_id = $1 order by id limit 25',
      [clinicId],
    );
    const sealedNotes = await tx.query<{ id: string; body: string }>(
      'select id, body from progress_notes where clinic_id = $1 order by id limit 25',
      [clinicId],
    );
    let undecryptable = 0;
    for (const row of sealedSubmissions) {
      try {
        JSON.parse(
          await encryption.decrypt(tx, { table: 'submissions', rowId: row.id, column: 'answers' }, row.answers),
        );
      } catch {
        undecryptable += 1;
      }
    }
    for (const row of sealedNotes) {
      try {
        JSON.parse(await encryption.decrypt(tx, { table: 'progress_notes', rowId: row.id, column: 'body' }, row.body));
      } catch {
        undecryptable += 1;
      }
    }
    if (undecryptable > 0) violations.push({ rule: 'sampled encrypted values decrypt', rows: undecryptable });
    return { clinicId, violations, checked: CHECKS.length + 3 };
  });
}

export async function assertScaleInvariants(
  unitOfWork: UnitOfWork,
  encryption: FieldEncryption,
  clinicIds: readonly string[],
): Promise<void> {
  const broken: string[] = [];
  for (const clinicId of clinicIds) {
    const report = await checkScaleInvariants(unitOfWork, encryption, clinicId);
    for (const violation of report.violations)
      broken.push(`clinic ${clinicId}: ${violation.rule} (${violation.rows} rows)`);
  }
  if (broken.length > 0) throw new Error(`Generated data breaks the domain invariants:\n- ${broken.join('\n- ')}`);
}

/**
 * The generated tables, with the columns left out of the content hash: ciphertexts (random IVs,
 * random data keys) and the password hash (random salt). Everything else is a function of the seed.
 */
export const HASHED_TABLES: readonly {
  readonly table: string;
  readonly clinicColumn: string;
  readonly omit: readonly string[];
}[] = [
  { table: 'clinics', clinicColumn: 'id', omit: [] },
  { table: 'memberships', clinicColumn: 'clinic_id', omit: [] },
  { table: 'supervision_links', clinicColumn: 'clinic_id', omit: [] },
  { table: 'clients', clinicColumn: 'clinic_id', omit: [] },
  { table: 'cases', clinicColumn: 'clinic_id', omit: [] },
  { table: 'case_participants', clinicColumn: 'clinic_id', omit: [] },
  { table: 'case_care_team', clinicColumn: 'clinic_id', omit: [] },
  { table: 'case_status_changes', clinicColumn: 'clinic_id', omit: [] },
  { table: 'repair_plans', clinicColumn: 'clinic_id', omit: [] },
  { table: 'repair_plan_revisions', clinicColumn: 'clinic_id', omit: [] },
  { table: 'repair_plan_phase_changes', clinicColumn: 'clinic_id', omit: [] },
  { table: 'commitment_check_ins', clinicColumn: 'clinic_id', omit: [] },
  { table: 'assignments', clinicColumn: 'clinic_id', omit: [] },
  { table: 'assignment_occurrences', clinicColumn: 'clinic_id', omit: [] },
  { table: 'submissions', clinicColumn: 'clinic_id', omit: ['answers'] },
  { table: 'measure_administrations', clinicColumn: 'clinic_id', omit: [] },
  { table: 'safety_alerts', clinicColumn: 'clinic_id', omit: [] },
  { table: 'therapy_sessions', clinicColumn: 'clinic_id', omit: [] },
  { table: 'progress_notes', clinicColumn: 'clinic_id', omit: ['body'] },
];

/** md5 over the ordered rows (as JSON) of every generated table of these clinics, plus their users. */
export async function scaleContentHash(
  query: (sql: string, values: unknown[]) => Promise<{ h: string }[]>,
  clinicIds: readonly string[],
): Promise<{ total: string; tables: Record<string, string> }> {
  const tables: Record<string, string> = {};
  for (const { table, clinicColumn, omit } of HASHED_TABLES) {
    const [row] = await query(
      `select coalesce(md5(string_agg(r, '|' order by r)), '') as h
         from (select (to_jsonb(t) - $2::text[])::text as r from ${table} t where ${clinicColumn} = any ($1::uuid[])) x`,
      [clinicIds, omit],
    );
    tables[table] = row.h;
  }
  const [users] = await query(
    `select coalesce(md5(string_agg(r, '|' order by r)), '') as h from (
       select (to_jsonb(u) - 'x')::text as r from users u
        where u.id in (select m.user_id from memberships m where m.clinic_id = any ($1::uuid[]))) x`,
    [clinicIds],
  );
  tables.users = users.h;
  const [total] = await query(`select md5($1) as h`, [JSON.stringify(tables)]);
  return { total: total.h, tables };
}
