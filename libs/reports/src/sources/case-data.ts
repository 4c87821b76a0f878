import type { TenantTransaction } from '@mend/core';

/**
 * The reads of a case report. Every query names the clinic and the case, reads
 * only rows recorded by the report's as-of instant (`$asOf`), and reads no
 * free text written by a participant or a counselor: statuses, dates, counts
 * and scores only. Which participants' rows are read is the caller's choice
 * (the audience); nothing here reads psychotherapy notes, note bodies,
 * homework answers, ledger notes or alert excerpts.
 */

export interface CaseRow {
  readonly title: string;
  readonly type: string;
  readonly status_at: string;
  readonly created_at: Date;
  readonly safety_status: string;
}

export async function caseRow(tx: TenantTransaction, caseId: string, asOf: Date): Promise<CaseRow | null> {
  const [row] = await tx.query<CaseRow>(
    `select k.title, k.type, k.created_at, k.safety_status,
            coalesce((select c.to_status from case_status_changes c
                       where c.clinic_id = k.clinic_id and c.case_id = k.id and c.changed_at <= $3
                       order by c.changed_at desc, c.id desc limit 1), k.status) as status_at
       from cases k where k.clinic_id = $1 and k.id = $2`,
    [tx.clinicId, caseId, asOf],
  );
  return row ?? null;
}

export interface NamedParticipant {
  readonly clientId: string;
  readonly name: string;
  readonly role: string;
  readonly timezone: string;
}

/** The current participants with their names, in the case's stable order (role, then when they joined). */
export async function participantsOf(tx: TenantTransaction, caseId: string): Promise<NamedParticipant[]> {
  const rows = await tx.query<{ client_id: string; display_name: string; role: string; timezone: string }>(
    `select p.client_id, c.display_name, p.role, c.timezone from case_participants p
       join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
      where p.clinic_id = $1 and p.case_id = $2
      order by array_position(array['harmed', 'harming', 'mutual', 'individual'], p.role), p.added_at, p.client_id`,
    [tx.clinicId, caseId],
  );
  return rows.map((row) => ({
    clientId: row.client_id,
    name: row.display_name,
    role: row.role,
    timezone: row.timezone,
  }));
}

export interface PhaseChangeRow {
  readonly to_phase: string;
  readonly changed_at: Date;
}

/** Every phase change recorded by the as-of instant, oldest first. */
export async function phaseChanges(tx: TenantTransaction, caseId: string, asOf: Date): Promise<PhaseChangeRow[]> {
  return tx.query<PhaseChangeRow>(
    `select to_phase, changed_at from repair_plan_phase_changes
      where clinic_id = $1 and case_id = $2 and changed_at <= $3 order by changed_at, id`,
    [tx.clinicId, caseId, asOf],
  );
}

export interface HomeworkWeekRow {
  readonly client_id: string;
  readonly week_start: string;
  readonly assigned: number;
  readonly completed: number;
  readonly on_time: number;
}

/**
 * Homework per participant per ISO week of the due day, over occurrences due in
 * [start, end) that existed and were not cancelled at the as-of instant.
 * `completed`: submitted by then; `on_time`: submitted on or before the due day
 * in the participant's local time. `visibilities` restricts the assignments
 * counted (a couple's copy counts only work neither partner keeps private).
 */
export async function homeworkWeeks(
  tx: TenantTransaction,
  input: {
    readonly caseIds: readonly string[];
    readonly clientIds: readonly string[] | null;
    readonly visibilities: readonly string[] | null;
    readonly start: string;
    readonly end: string;
    readonly asOf: Date;
  },
): Promise<(HomeworkWeekRow & { case_id: string })[]> {
  return tx.query(
    `select o.case_id, o.client_id, date_trunc('week', o.due_on)::date::text as week_start,
            count(*)::int as assigned,
            count(s.id)::int as completed,
            count(s.id) filter (
              where (s.submitted_at at time zone coalesce(c.timezone, k.timezone, 'UTC'))::date <= o.due_on)::int as on_time
       from assignment_occurrences o
       join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
       join clinics k on k.id = o.clinic_id
       left join clients c on c.clinic_id = o.clinic_id and c.id = o.client_id
       -- The page's cases only: joined on the occurrence alone, the planner hashes the whole clinic's
       -- submissions for every page (a clinic report would grow with the square of the clinic).
       left join submissions s on s.clinic_id = o.clinic_id and s.occurrence_id = o.id and s.case_id = any($2::uuid[])
                              and s.status = 'submitted' and s.submitted_at <= $5
      where o.clinic_id = $1 and o.case_id = any($2::uuid[])
        and o.due_on >= $3::date and o.due_on < $4::date
        and o.created_at <= $5
        and ($6::uuid[] is null or o.client_id = any($6::uuid[]))
        and ($7::text[] is null or a.visibility = any($7::text[]))
        -- Cancelled by the as-of instant (cancelling is final: only a cancelled row can have been).
        and (o.status <> 'cancelled'
             or not exists (select 1 from assignment_status_changes x
                             where x.clinic_id = o.clinic_id and x.occurrence_id = o.id
                               and x.to_status = 'cancelled' and x.changed_at <= $5))
      group by o.case_id, o.client_id, date_trunc('week', o.due_on)
      order by o.case_id, o.client_id, week_start`,
    [tx.clinicId, input.caseIds, input.start, input.end, input.asOf, input.clientIds, input.visibilities],
  );
}

export interface LedgerEntryRow {
  readonly participant_client_id: string;
  readonly status: 'kept' | 'partly_kept' | 'missed';
  readonly occurred_on: string;
  readonly disputed: boolean;
}

/**
 * Trust-ledger entries of the case that occurred in [start, end) and were
 * recorded by the as-of instant, corrected entries left out (only the latest of
 * a correction chain counts), in date order. `disputed`: another participant
 * disputed it by then. No notes are read.
 */
export async function ledgerEntries(
  tx: TenantTransaction,
  input: { caseId: string; start: string; end: string; asOf: Date },
): Promise<LedgerEntryRow[]> {
  return tx.query<LedgerEntryRow>(
    `select e.participant_client_id, e.status, e.occurred_on::text as occurred_on,
            exists (select 1 from commitment_check_in_responses r
                     where r.clinic_id = e.clinic_id and r.check_in_id = e.id
                       and r.response = 'disputed' and r.responded_at <= $5) as disputed
       from commitment_check_ins e
      where e.clinic_id = $1 and e.case_id = $2 and e.occurred_on >= $3::date and e.occurred_on < $4::date
        and e.recorded_at <= $5
        and not exists (select 1 from commitment_check_ins n
                         where n.clinic_id = e.clinic_id and n.corrects_check_in_id = e.id and n.recorded_at <= $5)
      order by e.occurred_on, e.recorded_at, e.id`,
    [tx.clinicId, input.caseId, input.start, input.end, input.asOf],
  );
}

export interface BoundaryRow {
  readonly occurred_at: Date;
  readonly severity: string;
  readonly completed_at: Date | null;
}

export async function boundaryEvents(
  tx: TenantTransaction,
  input: { caseId: string; startsAt: string; endsAt: string; asOf: Date },
): Promise<BoundaryRow[]> {
  return tx.query<BoundaryRow>(
    `select occurred_at, severity, case when completed_at <= $5 then completed_at end as completed_at
       from boundary_events
      where clinic_id = $1 and case_id = $2 and occurred_at >= $3 and occurred_at < $4 and recorded_at <= $5
      order by occurred_at, id`,
    [tx.clinicId, input.caseId, input.startsAt, input.endsAt, input.asOf],
  );
}

export interface AdministrationRow {
  readonly client_id: string;
  readonly measure_id: string;
  readonly measure_version: string;
  readonly total: number;
  readonly administered_at: Date;
  readonly is_baseline: boolean;
}

/**
 * Completed administrations of the given participants in this case: for each
 * (participant, measure, version) the baseline (the first administration ever,
 * as of the as-of instant) and every administration in [startsAt, endsAt),
 * oldest first. Series with nothing in the period are left out.
 */
export async function administrations(
  tx: TenantTransaction,
  input: { caseId: string; clientIds: readonly string[]; startsAt: string; endsAt: string; asOf: Date },
): Promise<AdministrationRow[]> {
  return tx.query<AdministrationRow>(
    `with done as (
       select a.id, a.client_id, a.measure_id, a.measure_version, a.total, a.administered_at,
              (a.administered_at >= $4 and a.administered_at < $5) as in_period,
              row_number() over series as n,
              bool_or(a.administered_at >= $4 and a.administered_at < $5)
                over (partition by a.client_id, a.measure_id, a.measure_version) as any_in_period
         from measure_administrations a
        where a.clinic_id = $1 and a.case_id = $2 and a.client_id = any($3::uuid[])
          and a.status = 'completed' and a.total is not null and a.administered_at <= $6
       window series as (partition by a.client_id, a.measure_id, a.measure_version order by a.administered_at, a.id))
     select d.client_id, d.measure_id, d.measure_version, d.total, d.administered_at, d.n = 1 as is_baseline
       from done d
      where (d.n = 1 or d.in_period) and d.any_in_period
      order by d.client_id, d.measure_id, d.measure_version, d.administered_at, d.id`,
    [tx.clinicId, input.caseId, input.clientIds, input.startsAt, input.endsAt, input.asOf],
  );
}

export interface SessionCountRow {
  readonly completed: number;
  readonly cancelled: number;
  readonly no_show: number;
  readonly scheduled: number;
  readonly joint_completed: number;
}

/** Sessions starting in the period, by their status at the as-of instant (scheduled until a later change). */
export async function sessionCounts(
  tx: TenantTransaction,
  input: { caseIds: readonly string[] | null; startsAt: string; endsAt: string; asOf: Date },
): Promise<SessionCountRow> {
  const [row] = await tx.query<SessionCountRow>(
    `with s as (
       select t.kind, case when t.status_changed_at <= $4 then t.status else 'scheduled' end as status
         from therapy_sessions t
        where t.clinic_id = $1 and ($5::uuid[] is null or t.case_id = any($5::uuid[]))
          and t.starts_at >= $2 and t.starts_at < $3 and t.created_at <= $4)
     select count(*) filter (where status = 'completed')::int as completed,
            count(*) filter (where status = 'cancelled')::int as cancelled,
            count(*) filter (where status = 'no_show')::int as no_show,
            count(*) filter (where status = 'scheduled')::int as scheduled,
            count(*) filter (where status = 'completed' and kind = 'joint')::int as joint_completed
       from s`,
    [tx.clinicId, input.startsAt, input.endsAt, input.asOf, input.caseIds],
  );
  return row;
}

export interface AlertRow {
  readonly raised_at: Date;
  readonly tier: number;
  readonly trigger: string;
  readonly subject_client_id: string | null;
}

/** Alerts of the case open at the as-of instant (raised by then, not acknowledged by then). No excerpt or reason. */
export async function openAlerts(tx: TenantTransaction, caseId: string, asOf: Date): Promise<AlertRow[]> {
  return tx.query<AlertRow>(
    `select raised_at, tier, trigger, subject_client_id from safety_alerts
      where clinic_id = $1 and case_id = $2 and raised_at <= $3 and (acknowledged_at is null or acknowledged_at > $3)
      order by tier, raised_at, id`,
    [tx.clinicId, caseId, asOf],
  );
}

export async function alertsRaised(
  tx: TenantTransaction,
  input: { caseId: string; startsAt: string; endsAt: string; asOf: Date },
): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `select count(*)::int as n from safety_alerts
      where clinic_id = $1 and case_id = $2 and raised_at >= $3 and raised_at < $4 and raised_at <= $5`,
    [tx.clinicId, input.caseId, input.startsAt, input.endsAt, input.asOf],
  );
  return row.n;
}
