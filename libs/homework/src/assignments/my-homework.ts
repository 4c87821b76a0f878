import type { AccessPrincipal } from '@mend/access';
import { type FirstQuery, jsonText, preparedStatement, type TenantTransaction } from '@mend/core';

/**
 * The caller's client rows in their cases (unique index on membership), with
 * their local today (in the client's time zone, else the clinic's) and the
 * case's safety status, then their open occurrences in exactly those (client,
 * case) pairs — a former case's homework stays out — by the (clinic_id,
 * client_id, due_on) index, with assignment and draft. Prepared: planning this
 * join (row-level security on every table) cost ~4 ms of database CPU per request
 * when it was planned each time; it is planned once per connection now. `mine`
 * is materialized: inlined, the planner joined each case once per occurrence
 * rather than once (bench clinic, a client with 8 open items: 76 → 55 buffer
 * accesses).
 *
 * PostgreSQL writes the answer's JSON itself (as the caseload does), shaped as
 * `MyAssignmentsResponse`: no rows to parse, no objects to build and serialize
 * again on the hottest client route; by concatenation (`jsonText`): with
 * `json_build_object` the JSON took over half the statement's time. What the API did
 * per row is done here: open on or before the client's local today; `overdue`
 * once that today is past the due date (as `effectiveStatus`); `shared` and
 * `reveal` items of a case on a safety hold left out; a draft's version and time
 * (UTC, milliseconds, as `Date.toISOString`) only for a draft.
 */
const OCCURRENCE_JSON = jsonText.object([
  ['id', jsonText.uuid('o.id')],
  ['caseId', jsonText.uuid('o.case_id')],
  ['assignmentId', jsonText.uuid('o.assignment_id')],
  ['clientId', jsonText.uuid('o.client_id')],
  ['part', jsonText.string('o.part')],
  [
    'exercise',
    jsonText.object([
      ['ref', jsonText.string('a.exercise_ref')],
      ['version', jsonText.integer('a.exercise_version')],
      ['title', jsonText.string('a.exercise_title')],
    ]),
  ],
  ['visibility', jsonText.string('a.visibility')],
  ['opensOn', jsonText.date('o.opens_on')],
  ['dueOn', jsonText.date('o.due_on')],
  [
    'status',
    jsonText.string(
      `case when o.status in ('assigned', 'in_progress') and m.today > o.due_on then 'overdue' else o.status end`,
    ),
  ],
  ['draftVersion', jsonText.integer(`case when s.status = 'draft' then s.draft_version end`)],
  ['draftSavedAt', jsonText.instant(`case when s.status = 'draft' then s.updated_at end`)],
]);

const MY_OPEN_OCCURRENCES = preparedStatement(
  'my_open_occurrences',
  `with mine as materialized (
     select c.id as client_id, p.case_id, x.safety_status,
            ($3::timestamptz at time zone coalesce(c.timezone, k.timezone, 'UTC'))::date as today
       from clients c
       join clinics k on k.id = c.clinic_id
       join case_participants p on p.clinic_id = c.clinic_id and p.client_id = c.id
       join cases x on x.clinic_id = p.clinic_id and x.id = p.case_id
      where c.clinic_id = $1 and c.membership_id = $2)
   select ${jsonText.array(OCCURRENCE_JSON, 'o.due_on, o.id')} as occurrences
     from mine m
     join assignment_occurrences o on o.clinic_id = $1 and o.client_id = m.client_id and o.case_id = m.case_id
     join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
     left join submissions s on s.clinic_id = o.clinic_id and s.occurrence_id = o.id
    where o.status in ('assigned', 'in_progress', 'overdue') and a.status = 'active'
      and o.opens_on <= m.today
      and not (m.safety_status = 'safety_hold' and a.visibility in ('shared', 'reveal'))`,
  ['uuid', 'uuid', 'timestamptz'],
);

/**
 * The one read of {@link myOpenOccurrencesJson}, for a route that prefetches it
 * (`UnitOfWorkOptions.prefetch`): the handler finds the prefetched result only if
 * it reads for the same instant, so a route that prefetches passes the handler
 * the instant the prefetch was built for.
 */
export function myOpenOccurrencesQuery(clinicId: string, membershipId: string, now: Date): FirstQuery {
  return { statement: MY_OPEN_OCCURRENCES, values: [clinicId, membershipId, now] };
}

/**
 * A client's "today" as the JSON text of `MyAssignmentsResponse`: their own
 * occurrences, across their cases, that are open now (opened on or before their
 * local today) and not completed or cancelled — overdue ones included — with
 * their drafts. `shared` and `reveal` items of a case on a safety hold are
 * suspended (left out). No answers are read (not audited).
 */
export async function myOpenOccurrencesJson(
  tx: TenantTransaction,
  principal: AccessPrincipal,
  now: Date,
): Promise<string> {
  const { statement, values } = myOpenOccurrencesQuery(tx.clinicId, principal.membershipId, now);
  const [row] = await tx.query<{ occurrences: string }>(statement, values);
  return `{"occurrences":${row?.occurrences ?? '[]'}}`;
}
