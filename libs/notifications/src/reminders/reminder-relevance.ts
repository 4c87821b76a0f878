import { preparedStatement, type PreparedStatement, type TenantTransaction } from '@mend/core';

import type { ReminderCategory } from './reminder-categories.js';

export interface RelevanceInput {
  readonly category: ReminderCategory;
  readonly sourceId: string;
  readonly occurrenceKey: string;
  readonly caseId: string | null;
  readonly recipientClientId: string | null;
  readonly recipientMembershipId: string | null;
}

/**
 * Per category: a scalar subquery answering why the reminder no longer applies
 * (a reason code) or null when it still does, over the row `p` (clinic_id,
 * source_id, occurrence_key, client_id, membership_id), so that one statement
 * answers for a whole batch of reminders of that category.
 * A case on safety hold gets no joint or partner reminders (clinical.md §4.3).
 */
const RELEVANCE_SQL: Readonly<Record<ReminderCategory, string>> = {
  assignment_due_soon: assignmentSql(),
  assignment_due: assignmentSql(),
  assignment_overdue: assignmentSql(),
  check_in: `
    select case when c.id is null or c.status <> 'active' then 'case_inactive'
                when c.safety_status = 'safety_hold' then 'safety_hold' end
      from (select 1) one left join cases c on c.clinic_id = p.clinic_id and c.id = p.source_id`,
  session_tomorrow: `
    select case when s.id is null or s.status <> 'scheduled' then 'resolved'
                when (extract(epoch from s.starts_at) * 1000)::bigint::text <> p.occurrence_key then 'rescheduled'
                when s.kind = 'joint' and c.safety_status = 'safety_hold' then 'safety_hold' end
      from (select 1) one
      left join therapy_sessions s on s.clinic_id = p.clinic_id and s.id = p.source_id
      left join cases c on c.clinic_id = s.clinic_id and c.id = s.case_id`,
  measure_due: `
    select case when m.id is null or m.status <> 'due' then 'resolved' end
      from (select 1) one left join measure_administrations m on m.clinic_id = p.clinic_id and m.id = p.source_id`,
  plan_review: `
    select case when r.case_id is null or r.review_date is distinct from p.occurrence_key::date then 'resolved'
                when c.status = 'closed' then 'case_inactive'
                when p.client_id is not null and c.safety_status = 'safety_hold' then 'safety_hold' end
      from (select 1) one
      left join repair_plans r on r.clinic_id = p.clinic_id and r.case_id = p.source_id
      left join cases c on c.clinic_id = r.clinic_id and c.id = r.case_id`,
  note_unsigned: `
    select case when not exists (
      select 1 from progress_notes n
       where n.clinic_id = p.clinic_id and n.author_membership_id = p.source_id and n.status = 'draft')
      then 'resolved' end`,
  alert_unacknowledged: `
    select case when a.id is null or a.status <> 'open' then 'resolved' end
      from (select 1) one left join safety_alerts a on a.clinic_id = p.clinic_id and a.id = p.source_id`,
  // The push copy of an alert (its in-app notice went through the safety queue): always sent.
  safety_alert: `select null::text`,
  safety_escalation: `select null::text`,
};

function assignmentSql(): string {
  return `
    select case when o.id is null or o.status not in ('assigned', 'in_progress', 'overdue') or a.status <> 'active'
                  then 'resolved'
                when c.status = 'closed' then 'case_inactive'
                when c.safety_status = 'safety_hold' and (a.paired or a.visibility in ('shared', 'reveal'))
                  then 'safety_hold' end
      from (select 1) one
      left join assignment_occurrences o on o.clinic_id = p.clinic_id and o.id = p.source_id
      left join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
      left join cases c on c.clinic_id = o.clinic_id and c.id = o.case_id`;
}

/** One prepared statement per category (a delivery batch runs one per category present). */
const RELEVANCE_STATEMENTS = Object.fromEntries(
  Object.entries(RELEVANCE_SQL).map(([category, sql]) => [
    category,
    preparedStatement(
      `reminder_relevance_${category}`,
      `select t.i, (${sql}) as reason
         from unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[]) with ordinality
           as t(source_id, occurrence_key, client_id, membership_id, i)
        cross join lateral (select $1::uuid as clinic_id, t.source_id, t.occurrence_key, t.client_id, t.membership_id) p`,
      ['uuid', 'uuid[]', 'text[]', 'uuid[]', 'uuid[]'],
    ),
  ]),
) as Readonly<Record<ReminderCategory, PreparedStatement>>;

/** The recipient's side, from columns read with the reminder: inactive, disabled or opted out. */
export function recipientReason(row: {
  readonly recipient_client_id: string | null;
  readonly client_status: string | null;
  readonly client_opted_out: boolean | null;
  readonly member_status: string | null;
  readonly recipient_membership_id: string | null;
}): string | null {
  if (row.recipient_client_id !== null) {
    if (row.client_status !== 'active') return 'recipient_inactive';
    if (row.client_opted_out === true) return 'opted_out';
  }
  if (row.recipient_membership_id !== null && row.member_status !== 'active') return 'recipient_inactive';
  return null;
}

/** Why a reminder no longer applies (e.g. `resolved`, `safety_hold`, `opted_out`), or null when it does. */
export async function irrelevanceReason(tx: TenantTransaction, input: RelevanceInput): Promise<string | null> {
  if (input.recipientClientId !== null) {
    const [client] = await tx.query<{ status: string; opted_out: boolean | null; membership_status: string | null }>(
      `select k.status, p.opted_out, m.status as membership_status
         from clients k
         left join client_reminder_preferences p on p.clinic_id = k.clinic_id and p.client_id = k.id and p.category = $3
         left join memberships m on m.clinic_id = k.clinic_id and m.id = k.membership_id
        where k.clinic_id = $1 and k.id = $2`,
      [tx.clinicId, input.recipientClientId, input.category],
    );
    if (client === undefined || client.status !== 'active') return 'recipient_inactive';
    if (client.opted_out === true) return 'opted_out';
    if (client.membership_status === 'disabled') return 'recipient_inactive';
  } else if (input.recipientMembershipId !== null) {
    const [member] = await tx.query<{ status: string }>(
      'select status from memberships where clinic_id = $1 and id = $2',
      [tx.clinicId, input.recipientMembershipId],
    );
    if (member === undefined || member.status !== 'active') return 'recipient_inactive';
  }
  return sourceReason(tx, input);
}

/** The source's side: done, rescheduled, or a joint reminder on a case on safety hold. */
export async function sourceReason(tx: TenantTransaction, input: RelevanceInput): Promise<string | null> {
  const [reason] = await sourceReasons(tx, [input]);
  return reason ?? null;
}

/**
 * The source's side for many reminders at once, in input order: one statement
 * per category present (the category's subquery over an unnest of the inputs).
 */
export async function sourceReasons(
  tx: TenantTransaction,
  inputs: readonly RelevanceInput[],
): Promise<(string | null)[]> {
  const reasons: (string | null)[] = inputs.map(() => null);
  const byCategory = new Map<ReminderCategory, number[]>();
  inputs.forEach((input, index) => byCategory.set(input.category, [...(byCategory.get(input.category) ?? []), index]));
  for (const [category, indexes] of byCategory) {
    const rows = await tx.query<{ i: string; reason: string | null }>(RELEVANCE_STATEMENTS[category], [
      tx.clinicId,
      indexes.map((index) => inputs[index].sourceId),
      indexes.map((index) => inputs[index].occurrenceKey),
      indexes.map((index) => inputs[index].recipientClientId),
      indexes.map((index) => inputs[index].recipientMembershipId),
    ]);
    for (const row of rows) reasons[indexes[Number(row.i) - 1]] = row.reason;
  }
  return reasons;
}
