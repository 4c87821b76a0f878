import type { TenantTransaction } from '@mend/core';

/**
 * The reads of the caseload and clinic reports: counts per case (or per
 * client) over a bounded page of ids, aggregated in PostgreSQL, so a report
 * over a large clinic walks it page by page (keyset on the id) and never holds
 * more than one page of rows. As in case-data.ts, only rows recorded by the
 * as-of instant are read, and no free text at all.
 */

export interface CasePageRow {
  readonly id: string;
  readonly title: string;
  readonly primary_membership_id: string | null;
  readonly status_at: string;
  readonly phase_at: string;
  readonly safety_status: string;
  readonly created_at: Date;
  readonly participant_names: string[];
}

/**
 * A page of cases existing at the as-of instant, ordered by id after `afterId`:
 * their primary counselor, status and phase at the as-of instant. With
 * `counselorMembershipId`, only cases whose care team holds that member.
 * Participant names only when asked (the caseload report; never the clinic's).
 */
export async function casePage(
  tx: TenantTransaction,
  input: {
    readonly afterId: string | null;
    readonly limit: number;
    readonly asOf: Date;
    readonly counselorMembershipId?: string;
    readonly withNames?: boolean;
  },
): Promise<CasePageRow[]> {
  return tx.query<CasePageRow>(
    `select k.id, k.title, k.safety_status, k.created_at,
            (select t.membership_id from case_care_team t
              where t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary limit 1) as primary_membership_id,
            coalesce((select c.to_status from case_status_changes c
                       where c.clinic_id = k.clinic_id and c.case_id = k.id and c.changed_at <= $3
                       order by c.changed_at desc, c.id desc limit 1), k.status) as status_at,
            coalesce((select p.to_phase from repair_plan_phase_changes p
                       where p.clinic_id = k.clinic_id and p.case_id = k.id and p.changed_at <= $3
                       order by p.changed_at desc, p.id desc limit 1), 'P0') as phase_at,
            case when $6 then array(
              select c.display_name from case_participants p
                join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
               where p.clinic_id = k.clinic_id and p.case_id = k.id
               order by array_position(array['harmed', 'harming', 'mutual', 'individual'], p.role), p.added_at, p.client_id)
            else array[]::text[] end as participant_names
       from cases k
      where k.clinic_id = $1 and ($2::uuid is null or k.id > $2::uuid) and k.created_at <= $3
        and ($5::uuid is null or exists (select 1 from case_care_team t
                                          where t.clinic_id = k.clinic_id and t.case_id = k.id and t.membership_id = $5))
      order by k.id
      limit $4`,
    [
      tx.clinicId,
      input.afterId,
      input.asOf,
      input.limit,
      input.counselorMembershipId ?? null,
      input.withNames === true,
    ],
  );
}

export interface CaseCounts {
  readonly case_id: string;
  readonly assigned: number;
  readonly completed: number;
  readonly on_time: number;
}

/** Homework due in [start, end) per case (definitions as case-data.ts homeworkWeeks). */
export async function homeworkByCase(
  tx: TenantTransaction,
  input: { caseIds: readonly string[]; start: string; end: string; asOf: Date },
): Promise<CaseCounts[]> {
  return tx.query<CaseCounts>(
    `select o.case_id, count(*)::int as assigned, count(s.id)::int as completed,
            count(s.id) filter (
              where (s.submitted_at at time zone coalesce(c.timezone, k.timezone, 'UTC'))::date <= o.due_on)::int as on_time
       from assignment_occurrences o
       join clinics k on k.id = o.clinic_id
       left join clients c on c.clinic_id = o.clinic_id and c.id = o.client_id
       -- The page's cases only: joined on the occurrence alone, the planner hashes the whole clinic's
       -- submissions for every page (a clinic report would grow with the square of the clinic).
       left join submissions s on s.clinic_id = o.clinic_id and s.occurrence_id = o.id and s.case_id = any($2::uuid[])
                              and s.status = 'submitted' and s.submitted_at <= $5
      where o.clinic_id = $1 and o.case_id = any($2::uuid[])
        and o.due_on >= $3::date and o.due_on < $4::date and o.created_at <= $5
        -- Cancelled by the as-of instant (cancelling is final: only a cancelled row can have been).
        and (o.status <> 'cancelled'
             or not exists (select 1 from assignment_status_changes x
                             where x.clinic_id = o.clinic_id and x.occurrence_id = o.id
                               and x.to_status = 'cancelled' and x.changed_at <= $5))
      group by o.case_id`,
    [tx.clinicId, input.caseIds, input.start, input.end, input.asOf],
  );
}

export interface CaseSignals {
  readonly case_id: string;
  readonly kept: number;
  readonly ledger_entries: number;
  readonly boundary_events: number;
  readonly open_alerts: number;
  readonly unsigned_notes: number;
}

/** Ledger and boundary events of the period (recorded by the as-of instant), alerts open and notes unsigned at the end. */
export async function signalsByCase(
  tx: TenantTransaction,
  input: {
    caseIds: readonly string[];
    start: string;
    end: string;
    startsAt: string;
    endsAt: string;
    asOf: Date;
    atEnd: Date;
  },
): Promise<CaseSignals[]> {
  return tx.query<CaseSignals>(
    `select k.id as case_id,
            (select count(*) filter (where e.status = 'kept') from commitment_check_ins e
              where e.clinic_id = k.clinic_id and e.case_id = k.id and e.occurred_on >= $3::date and e.occurred_on < $4::date
                and e.recorded_at <= $7
                and not exists (select 1 from commitment_check_ins n where n.clinic_id = e.clinic_id
                                  and n.corrects_check_in_id = e.id and n.recorded_at <= $7))::int as kept,
            (select count(*) from commitment_check_ins e
              where e.clinic_id = k.clinic_id and e.case_id = k.id and e.occurred_on >= $3::date and e.occurred_on < $4::date
                and e.recorded_at <= $7
                and not exists (select 1 from commitment_check_ins n where n.clinic_id = e.clinic_id
                                  and n.corrects_check_in_id = e.id and n.recorded_at <= $7))::int as ledger_entries,
            (select count(*) from boundary_events b
              where b.clinic_id = k.clinic_id and b.case_id = k.id and b.occurred_at >= $5 and b.occurred_at < $6
                and b.recorded_at <= $7)::int as boundary_events,
            (select count(*) from safety_alerts a
              where a.clinic_id = k.clinic_id and a.case_id = k.id and a.raised_at <= $8
                and (a.acknowledged_at is null or a.acknowledged_at > $8))::int as open_alerts,
            (select count(*) from progress_notes n
              where n.clinic_id = k.clinic_id and n.case_id = k.id and n.created_at <= $8
                and (n.signed_at is null or n.signed_at > $8))::int as unsigned_notes
       from cases k
      where k.clinic_id = $1 and k.id = any($2::uuid[])`,
    [tx.clinicId, input.caseIds, input.start, input.end, input.startsAt, input.endsAt, input.asOf, input.atEnd],
  );
}

export interface OutcomeRow {
  readonly case_id: string | null;
  readonly client_id: string;
  readonly measure_id: string;
  readonly measure_version: string;
  readonly baseline: number;
  readonly latest: number;
}

/**
 * Per (client, measure, version) — per case too with `perCase` — the baseline
 * (first completed administration by the as-of instant) and the latest one in
 * [startsAt, endsAt), when that latest one is not the baseline itself. Scope:
 * the cases or the clients given (one page).
 */
export async function measureOutcomes(
  tx: TenantTransaction,
  input: {
    readonly caseIds?: readonly string[];
    readonly clientIds?: readonly string[];
    readonly perCase: boolean;
    readonly startsAt: string;
    readonly endsAt: string;
    readonly asOf: Date;
  },
): Promise<OutcomeRow[]> {
  // One pass of window functions (no self-join): each series' first administration is its baseline,
  // its latest one inside the period is compared with it.
  return tx.query<OutcomeRow>(
    `with done as (
       select case when $7 then a.case_id end as case_id, a.client_id, a.measure_id, a.measure_version, a.total,
              a.administered_at, a.id, (a.administered_at >= $4 and a.administered_at < $5) as in_period
         from measure_administrations a
        where a.clinic_id = $1
          and ($2::uuid[] is null or a.case_id = any($2::uuid[]))
          and ($3::uuid[] is null or a.client_id = any($3::uuid[]))
          and a.status = 'completed' and a.total is not null and a.administered_at <= $6),
     ranked as (
       select d.*,
              first_value(d.id) over series as baseline_id,
              first_value(d.total) over series as baseline,
              row_number() over (partition by d.case_id, d.client_id, d.measure_id, d.measure_version, d.in_period
                                 order by d.administered_at desc, d.id desc) as last_n
         from done d
       window series as (partition by d.case_id, d.client_id, d.measure_id, d.measure_version
                         order by d.administered_at, d.id))
     select r.case_id, r.client_id, r.measure_id, r.measure_version, r.baseline, r.total as latest
       from ranked r
      where r.in_period and r.last_n = 1 and r.id <> r.baseline_id
      order by r.client_id, r.measure_id, r.measure_version`,
    [
      tx.clinicId,
      input.caseIds ?? null,
      input.clientIds ?? null,
      input.startsAt,
      input.endsAt,
      input.asOf,
      input.perCase,
    ],
  );
}

/** A page of client ids (keyset), for the clinic report's measure outcomes. */
export async function clientPage(
  tx: TenantTransaction,
  input: { afterId: string | null; limit: number; asOf: Date },
): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `select c.id from clients c where c.clinic_id = $1 and ($2::uuid is null or c.id > $2::uuid) and c.created_at <= $3
      order by c.id limit $4`,
    [tx.clinicId, input.afterId, input.asOf, input.limit],
  );
  return rows.map((row) => row.id);
}

export interface AlertResponseRow {
  /** Null for the clinic-wide row. */
  readonly membership_id: string | null;
  readonly raised: number;
  readonly acknowledged: number;
  readonly tier1: number;
  readonly tier2: number;
  readonly tier3: number;
  readonly median_minutes: number | null;
  readonly p90_minutes: number | null;
}

/**
 * Alerts raised in the period, acknowledged by the as-of instant, and minutes
 * to acknowledgement (median and 90th percentile, PostgreSQL's
 * percentile_cont), clinic-wide and per primary counselor of the alert's case,
 * in one aggregate (grouping sets): the database streams the rows.
 */
export async function alertResponses(
  tx: TenantTransaction,
  input: { startsAt: string; endsAt: string; asOf: Date },
): Promise<AlertResponseRow[]> {
  return tx.query<AlertResponseRow>(
    `with a as (
       select (select t.membership_id from case_care_team t
                where t.clinic_id = s.clinic_id and t.case_id = s.case_id and t.is_primary limit 1) as membership_id,
              s.tier,
              case when s.acknowledged_at <= $4
                   then extract(epoch from (s.acknowledged_at - s.raised_at)) / 60.0 end as minutes
         from safety_alerts s
        where s.clinic_id = $1 and s.raised_at >= $2 and s.raised_at < $3 and s.raised_at <= $4)
     select case when grouping(membership_id) = 1 then null else membership_id end as membership_id,
            grouping(membership_id) as is_total,
            count(*)::int as raised, count(minutes)::int as acknowledged,
            count(*) filter (where tier = 1)::int as tier1, count(*) filter (where tier = 2)::int as tier2,
            count(*) filter (where tier = 3)::int as tier3,
            round((percentile_cont(0.5) within group (order by minutes))::numeric, 1)::float8 as median_minutes,
            round((percentile_cont(0.9) within group (order by minutes))::numeric, 1)::float8 as p90_minutes
       from a
      group by grouping sets ((), (membership_id))
      order by is_total desc, membership_id`,
    [tx.clinicId, input.startsAt, input.endsAt, input.asOf],
  );
}

/** Alerts open at the as-of instant, clinic-wide. */
export async function openAlertCount(tx: TenantTransaction, asOf: Date): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `select count(*)::int as n from safety_alerts
      where clinic_id = $1 and raised_at <= $2 and (acknowledged_at is null or acknowledged_at > $2)`,
    [tx.clinicId, asOf],
  );
  return row.n;
}

export interface NoteCountRow {
  readonly membership_id: string | null;
  readonly unsigned_at_end: number;
  readonly signed_in_period: number;
}

/** Progress notes unsigned at the as-of instant and signed in the period, clinic-wide and per author. Counts only. */
export async function noteCounts(
  tx: TenantTransaction,
  input: { startsAt: string; endsAt: string; asOf: Date; atEnd: Date },
): Promise<NoteCountRow[]> {
  return tx.query<NoteCountRow>(
    `select case when grouping(author_membership_id) = 1 then null else author_membership_id end as membership_id,
            count(*) filter (where created_at <= $5 and (signed_at is null or signed_at > $5))::int as unsigned_at_end,
            count(*) filter (where signed_at >= $2 and signed_at < $3 and signed_at <= $4)::int as signed_in_period
       from progress_notes
      where clinic_id = $1 and created_at <= $4
      group by grouping sets ((), (author_membership_id))`,
    [tx.clinicId, input.startsAt, input.endsAt, input.asOf, input.atEnd],
  );
}

/** Cases opened and closed in the period (status history), and clients with a case active at the as-of instant. */
export async function caseMovements(
  tx: TenantTransaction,
  input: { startsAt: string; endsAt: string; asOf: Date; atEnd: Date },
): Promise<{ opened: number; closed: number; clients_with_active_case: number }> {
  const [row] = await tx.query<{ opened: number; closed: number; clients_with_active_case: number }>(
    `select (select count(*) from cases k where k.clinic_id = $1 and k.created_at >= $2 and k.created_at < $3
               and k.created_at <= $4)::int as opened,
            (select count(*) from case_status_changes c where c.clinic_id = $1 and c.to_status = 'closed'
               and c.changed_at >= $2 and c.changed_at < $3 and c.changed_at <= $4)::int as closed,
            (select count(distinct p.client_id) from case_participants p
               join cases k on k.clinic_id = p.clinic_id and k.id = p.case_id
              where p.clinic_id = $1 and k.created_at <= $5
                and coalesce((select c.to_status from case_status_changes c
                               where c.clinic_id = k.clinic_id and c.case_id = k.id and c.changed_at <= $5
                               order by c.changed_at desc, c.id desc limit 1), k.status) = 'active')::int
              as clients_with_active_case`,
    [tx.clinicId, input.startsAt, input.endsAt, input.asOf, input.atEnd],
  );
  return row;
}

/** Display names of staff members (users.display_name; a neutral label when none). */
export async function memberNames(
  tx: TenantTransaction,
  membershipIds: readonly string[],
): Promise<Map<string, string>> {
  const rows = await tx.query<{ id: string; display_name: string | null }>(
    `select m.id, u.display_name from memberships m join users u on u.id = m.user_id
      where m.clinic_id = $1 and m.id = any($2::uuid[])`,
    [tx.clinicId, membershipIds],
  );
  return new Map(rows.map((row) => [row.id, row.display_name ?? `Member ${row.id.slice(0, 8)}`]));
}

/** The counselors a supervisor supervises. */
export async function superviseesOf(tx: TenantTransaction, supervisorMembershipId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `select counselor_membership_id as id from supervision_links where clinic_id = $1 and supervisor_membership_id = $2`,
    [tx.clinicId, supervisorMembershipId],
  );
  return rows.map((row) => row.id);
}
