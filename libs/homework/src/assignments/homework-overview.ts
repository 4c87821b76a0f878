import type { CaseViewer } from '@mend/access';
import { jsonText, type TenantTransaction } from '@mend/core';
import { localDate } from '@mend/repair-plans';

import type { Visibility } from '../exercises/exercise.types.js';
import type { OccurrenceStatus } from './assignment.entities.js';
import { auditHomework } from './assignment.service.js';
import { sameId } from './homework-visibility.js';

/**
 * The counselor's homework overview of a case (issue 5, item 6): per participant,
 * what is due, overdue, submitted and awaiting review, and completion and on-time
 * rates per ISO week. The care team (and supervisors of its members) only; it
 * reads no answers, only statuses and dates, in ONE query.
 *
 * Definitions (every date is the participant's LOCAL day: clients.timezone, else
 * the clinic's; "today" is the clock's instant in that timezone):
 * - `due`: occurrences open now (opened on or before today, due today or later),
 *   neither submitted nor cancelled.
 * - `overdue`: neither submitted nor cancelled, and today is past the due day
 *   (whether or not the worker has recorded `overdue` yet).
 * - `upcoming` (a count): not open yet (opens after today).
 * - `submitted`: submitted on a local day within the window (below), late or not.
 * - `awaitingReview`: a submitted occurrence whose answers the care team may read
 *   (any visibility but `private`) on which the care team still owes something:
 *   `release_approval` — a `release` item that requires review and is not approved
 *   yet (the author cannot release it until then), and/or `feedback` — no feedback
 *   has been given on it yet. Giving feedback clears `feedback`; approving clears
 *   `release_approval`. Not limited to the window (it is a work queue).
 * - Weeks: the `weeks` ISO weeks (Monday to Sunday) ending with the one holding
 *   today; an occurrence belongs to the week of its DUE day. Per week: `due` = the
 *   non-cancelled occurrences due that week; `settled` = those submitted or whose
 *   due day is over (an item due later this week and not done yet is not counted
 *   against anyone); `completed` = submitted (at any time, late ones too);
 *   `onTime` = submitted on or before the due day (local day of the submission);
 *   `completionRate` = completed / settled and `onTimeRate` = onTime / settled,
 *   rounded to 4 decimals, null when nothing is settled.
 * - Cancelled occurrences count nowhere.
 *
 * Visibility (PRODUCT.md, Who sees what): for a `private` item the care team
 * sees only whether it was done: its status shows `assigned` while a draft exists
 * (never `in_progress`), and it is never awaiting review (its answers are not
 * theirs to read). Answers and feedback are never part of the overview.
 */

export const OVERVIEW_WEEKS_DEFAULT = 8;
export const OVERVIEW_WEEKS_MAX = 26;

export type ReviewReason = 'release_approval' | 'feedback';

export interface OverviewItem {
  readonly occurrenceId: string;
  readonly assignmentId: string;
  readonly exercise: { readonly ref: string; readonly version: number; readonly title: string };
  readonly visibility: Visibility;
  readonly part: string | null;
  readonly opensOn: string;
  readonly dueOn: string;
  readonly status: OccurrenceStatus;
  readonly submittedAt: Date | null;
  /** Submitted on or before the due day (local); null when not submitted. */
  readonly onTime: boolean | null;
  /** Whether the care team may read the answers (submitted and not `private`). */
  readonly answersVisible: boolean;
  /** Non-empty only in `awaitingReview`. */
  readonly reviewReasons: readonly ReviewReason[];
}

export interface OverviewWeek {
  /** ISO week, e.g. `2026-W23`. */
  readonly week: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly due: number;
  readonly settled: number;
  readonly completed: number;
  readonly onTime: number;
  readonly completionRate: number | null;
  readonly onTimeRate: number | null;
}

export interface ParticipantOverview {
  readonly clientId: string;
  /** The participant's role in the case; null for a former participant with homework history. */
  readonly role: string | null;
  /** The participant's local today. */
  readonly today: string;
  readonly counts: {
    readonly due: number;
    readonly overdue: number;
    readonly upcoming: number;
    readonly submitted: number;
    readonly awaitingReview: number;
  };
  readonly due: readonly OverviewItem[];
  readonly overdue: readonly OverviewItem[];
  readonly submitted: readonly OverviewItem[];
  readonly awaitingReview: readonly OverviewItem[];
  /** Oldest first. */
  readonly weeks: readonly OverviewWeek[];
  /** Over the whole window (sums of the weeks). */
  readonly window: Omit<OverviewWeek, 'week' | 'startsOn' | 'endsOn'> & {
    readonly startsOn: string;
    readonly endsOn: string;
  };
}

export interface HomeworkOverview {
  readonly caseId: string;
  readonly weeks: number;
  readonly participants: readonly ParticipantOverview[];
}

interface OverviewRow {
  id: string;
  assignment_id: string;
  client_id: string;
  part: string | null;
  opens_on: string;
  due_on: string;
  status: OccurrenceStatus;
  timezone: string;
  visibility: Visibility;
  release_requires_review: boolean;
  exercise_ref: string;
  exercise_version: number;
  exercise_title: string;
  submission_status: 'draft' | 'submitted' | null;
  submitted_at: Date | null;
  review_approved_at: Date | null;
  has_feedback: boolean;
}

const DAY_MS = 86_400_000;

const toUtc = (day: string): Date => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date): string => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number): string => dayOf(new Date(toUtc(day).getTime() + days * DAY_MS));

/** Monday of the ISO week holding `day` (YYYY-MM-DD). */
export function isoWeekStart(day: string): string {
  const weekday = (toUtc(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

/** The ISO week label of `day`, e.g. `2026-W01` (the year is the ISO week-year). */
export function isoWeekOf(day: string): string {
  const thursday = addDays(isoWeekStart(day), 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursdayWeek = isoWeekStart(`${year}-01-04`);
  const week = Math.round((toUtc(isoWeekStart(day)).getTime() - toUtc(firstThursdayWeek).getTime()) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const rate = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

function emptyWeek(startsOn: string): OverviewWeek {
  return {
    week: isoWeekOf(startsOn),
    startsOn,
    endsOn: addDays(startsOn, 6),
    due: 0,
    settled: 0,
    completed: 0,
    onTime: 0,
    completionRate: null,
    onTimeRate: null,
  };
}

function participantOverview(
  clientId: string,
  role: string | null,
  timezone: string,
  rows: readonly OverviewRow[],
  now: Date,
  weeks: number,
): ParticipantOverview {
  const today = localDate(now, timezone);
  const windowStart = addDays(isoWeekStart(today), -7 * (weeks - 1));
  const windowEnd = addDays(isoWeekStart(today), 6);
  const weekRows = Array.from({ length: weeks }, (_, index) => ({ ...emptyWeek(addDays(windowStart, 7 * index)) }));
  const due: OverviewItem[] = [];
  const overdue: OverviewItem[] = [];
  const submitted: OverviewItem[] = [];
  const awaitingReview: OverviewItem[] = [];
  let upcoming = 0;
  for (const row of rows) {
    if (row.status === 'cancelled') continue;
    const isSubmitted = row.submission_status === 'submitted';
    const submittedOn = isSubmitted && row.submitted_at !== null ? localDate(row.submitted_at, row.timezone) : null;
    const onTime = submittedOn === null ? null : submittedOn <= row.due_on;
    let status: OccurrenceStatus = row.status;
    if (isSubmitted) status = 'completed';
    else if (today > row.due_on) status = 'overdue';
    else if (row.visibility === 'private' && status === 'in_progress') status = 'assigned';
    const reviewReasons: ReviewReason[] = [];
    if (isSubmitted && row.visibility !== 'private') {
      if (row.visibility === 'release' && row.release_requires_review && row.review_approved_at === null)
        reviewReasons.push('release_approval');
      if (!row.has_feedback) reviewReasons.push('feedback');
    }
    const item = (reasons: readonly ReviewReason[]): OverviewItem => ({
      occurrenceId: row.id,
      assignmentId: row.assignment_id,
      exercise: { ref: row.exercise_ref, version: row.exercise_version, title: row.exercise_title },
      visibility: row.visibility,
      part: row.part,
      opensOn: row.opens_on,
      dueOn: row.due_on,
      status,
      submittedAt: isSubmitted ? row.submitted_at : null,
      onTime,
      answersVisible: isSubmitted && row.visibility !== 'private',
      reviewReasons: reasons,
    });
    if (isSubmitted) {
      if (submittedOn !== null && submittedOn >= windowStart && submittedOn <= windowEnd) submitted.push(item([]));
      if (reviewReasons.length > 0) awaitingReview.push(item(reviewReasons));
    } else if (status === 'overdue') {
      overdue.push(item([]));
    } else if (row.opens_on <= today) {
      due.push(item([]));
    } else {
      upcoming += 1;
    }
    if (row.due_on >= windowStart && row.due_on <= windowEnd) {
      const index = Math.floor((toUtc(row.due_on).getTime() - toUtc(windowStart).getTime()) / (7 * DAY_MS));
      const week = weekRows[index];
      week.due += 1;
      if (isSubmitted || row.due_on < today) week.settled += 1;
      if (isSubmitted) week.completed += 1;
      if (onTime === true) week.onTime += 1;
    }
  }
  const byDue = (a: OverviewItem, b: OverviewItem) =>
    a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.occurrenceId < b.occurrenceId ? -1 : 1;
  const bySubmitted = (a: OverviewItem, b: OverviewItem) =>
    (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0) || byDue(a, b);
  const finished = weekRows.map((week) => ({
    ...week,
    completionRate: rate(week.completed, week.settled),
    onTimeRate: rate(week.onTime, week.settled),
  }));
  const sum = (key: 'due' | 'settled' | 'completed' | 'onTime') =>
    finished.reduce((total, week) => total + week[key], 0);
  return {
    clientId,
    role,
    today,
    counts: {
      due: due.length,
      overdue: overdue.length,
      upcoming,
      submitted: submitted.length,
      awaitingReview: awaitingReview.length,
    },
    due: due.sort(byDue),
    overdue: overdue.sort(byDue),
    submitted: submitted.sort(bySubmitted),
    awaitingReview: awaitingReview.sort(bySubmitted),
    weeks: finished,
    window: {
      startsOn: windowStart,
      endsOn: windowEnd,
      due: sum('due'),
      settled: sum('settled'),
      completed: sum('completed'),
      onTime: sum('onTime'),
      completionRate: rate(sum('completed'), sum('settled')),
      onTimeRate: rate(sum('onTime'), sum('settled')),
    },
  };
}

/**
 * The overview of the viewer's case (care team only: the controller authorizes
 * `HomeworkOverviewRead`). One query: every occurrence of the case that is not
 * cancelled and is either still open, due within the window (widened by a day
 * for timezones), submitted within it, or awaiting review; the rest is arithmetic.
 * Audited (counts only).
 */
export async function homeworkOverview(
  tx: TenantTransaction,
  viewer: CaseViewer,
  now: Date,
  weeks: number = OVERVIEW_WEEKS_DEFAULT,
): Promise<HomeworkOverview> {
  if (viewer.kind !== 'care_team') throw new Error('Only the care team reads the homework overview');
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > OVERVIEW_WEEKS_MAX)
    throw new RangeError(`weeks must be 1 to ${OVERVIEW_WEEKS_MAX}`);
  const caseId = viewer.case.caseId;
  // The earliest window start anywhere (a timezone up to a day behind UTC).
  const earliest = addDays(isoWeekStart(addDays(dayOf(now), -1)), -7 * (weeks - 1));
  const rows = await tx.query<OverviewRow>(
    `select o.id, o.assignment_id, o.client_id, o.part, o.opens_on::text as opens_on, o.due_on::text as due_on, o.status,
            coalesce(c.timezone, k.timezone, 'UTC') as timezone,
            a.visibility, a.release_requires_review, a.exercise_ref, a.exercise_version, a.exercise_title,
            s.status as submission_status, s.submitted_at, s.review_approved_at,
            (fb.submission_id is not null) as has_feedback
       from assignment_occurrences o
       join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
       join clinics k on k.id = o.clinic_id
       left join clients c on c.clinic_id = o.clinic_id and c.id = o.client_id
       left join submissions s on s.clinic_id = o.clinic_id and s.occurrence_id = o.id
       left join lateral (
         select f.submission_id from submission_feedback f
          where f.clinic_id = s.clinic_id and f.submission_id = s.id limit 1
       ) fb on true
      where o.clinic_id = $1 and o.case_id = $2 and o.status <> 'cancelled'
        and (o.status in ('assigned', 'in_progress', 'overdue')
             or o.due_on >= $3::date
             or (s.status = 'submitted'
                 and (s.submitted_at >= $3::date - interval '1 day'
                      or (a.visibility <> 'private'
                          and (fb.submission_id is null
                               or (a.release_requires_review and s.review_approved_at is null))))))
      order by o.due_on, o.id`,
    [tx.clinicId, caseId, earliest],
  );
  const byClient = new Map<string, OverviewRow[]>();
  for (const row of rows) {
    const key = row.client_id.toLowerCase();
    const list = byClient.get(key) ?? [];
    list.push(row);
    byClient.set(key, list);
  }
  // The second query: every participant's timezone (one with no homework yet has rows nowhere above).
  const zones = await timezonesOf(
    tx,
    viewer.case.participants.map((participant) => participant.clientId),
  );
  const participants: ParticipantOverview[] = [];
  for (const participant of viewer.case.participants) {
    const key = participant.clientId.toLowerCase();
    const timezone = zones.get(key) ?? 'UTC';
    participants.push(
      participantOverview(participant.clientId, participant.role, timezone, byClient.get(key) ?? [], now, weeks),
    );
  }
  // Former participants keep their homework history.
  for (const [key, list] of byClient) {
    if (viewer.case.participants.some((participant) => sameId(participant.clientId, key))) continue;
    participants.push(participantOverview(list[0].client_id, null, list[0].timezone, list, now, weeks));
  }
  await auditHomework(
    tx,
    viewer,
    'homework.overview.read',
    { type: 'case', id: caseId },
    {
      participants: participants.length,
      weeks,
      occurrences: rows.length,
    },
  );
  return { caseId, weeks, participants };
}

async function timezonesOf(tx: TenantTransaction, clientIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.query<{ id: string; timezone: string }>(
    `select c.id, coalesce(c.timezone, k.timezone, 'UTC') as timezone
       from clients c join clinics k on k.id = c.clinic_id
      where c.clinic_id = $1 and c.id = any($2::uuid[])`,
    [tx.clinicId, clientIds],
  );
  return new Map(rows.map((row) => [row.id.toLowerCase(), row.timezone]));
}

/**
 * A case's homework at a glance, for the caseload (`GET /cases?include=homework`):
 * the case-wide sums of the overview's `due`, `overdue` and `awaitingReview`
 * counts (same definitions, every participant's own local day; the window plays
 * no part in them), and the next item due — the earliest occurrence not submitted
 * or cancelled whose due day is today or later (ties by id): occurrence, client,
 * due day, exercise title; null when nothing is due.
 */
export interface CaseHomeworkSummary {
  readonly due: number;
  readonly overdue: number;
  readonly awaitingReview: number;
  readonly nextDue: {
    readonly occurrenceId: string;
    readonly clientId: string;
    readonly dueOn: string;
    readonly exerciseTitle: string;
  } | null;
}

/**
 * {@link CaseHomeworkSummary} as one SQL expression (a `json` value) over the
 * case alias `k` (with `k.clinic_id` and `k.id`), "now" being the `timestamptz`
 * expression `now` (a bind parameter): the caseload's statement plugs it in for
 * the cases the caller sees as care team, so the page needs no request per case.
 * It follows {@link homeworkOverview}'s definitions and reads only what is open:
 * - `due` / `overdue` / `nextDue`: the case's occurrences still `assigned`,
 *   `in_progress` or `overdue` (a partial index; submitting sets `completed` in the
 *   submission's transaction, cancelling sets `cancelled`), against the
 *   participant's local today (clients.timezone, else the clinic's); the next
 *   item's exercise title is looked up for it alone;
 * - `awaitingReview`: the case's submissions with `review_owed` (a partial index),
 *   which the database derives from the overview's rule — a submitted answer of an
 *   item that is not `private` with no feedback yet, or a release still waiting for
 *   the care team's approval (migration 1764962000000).
 * Every lookup is by key and fenced (`offset 0`), so the statement's generic plan
 * walks the case's open rows whatever the statistics; a case's history (answered,
 * reviewed, cancelled items) costs nothing. Before (2026-11-29) it made one pass
 * over every occurrence of the case, with two probes per completed shared one: on
 * 50 cases of a 1,000-client × 6-month scale clinic the caseload statement took
 * 15.5 ms against 6.3–8.0 ms now (medians of 41 runs, generic plan; 3.5 ms without
 * homework), and on the bench's 10,000 × 12 clinic the page answered 58 against
 * 107 requests a second (`scripts/bench-ab.mjs --routes caseload-homework`).
 */
export function caseHomeworkSummarySql(now: string): string {
  const nextDue = jsonText.object([
    ['occurrenceId', jsonText.uuid('o.id')],
    ['clientId', jsonText.uuid('o.client_id')],
    ['dueOn', jsonText.date('o.due_on')],
    [
      'exerciseTitle',
      jsonText.string(
        'select a.exercise_title from assignments a where a.clinic_id = o.clinic_id and a.id = o.assignment_id',
      ),
    ],
  ]);
  const summary = jsonText.object([
    ['due', jsonText.integer('y.due')],
    ['overdue', jsonText.integer('y.overdue')],
    [
      'awaitingReview',
      jsonText.integer(
        'select count(*) from submissions s where s.clinic_id = k.clinic_id and s.case_id = k.id and s.review_owed',
      ),
    ],
    [
      'nextDue',
      jsonText.json(
        `select ${nextDue} from assignment_occurrences o where o.clinic_id = k.clinic_id and o.id = y.next_id`,
      ),
    ],
  ]);
  return `(select ${summary}
     from (select count(*) filter (where x.opens_on <= x.today and x.due_on >= x.today) as due,
                  count(*) filter (where x.due_on < x.today) as overdue,
                  (array_agg(x.id order by x.due_on, x.id) filter (where x.due_on >= x.today))[1] as next_id
             from (select o.id, o.opens_on, o.due_on,
                          (${now} at time zone coalesce(
                             (select c.timezone from clients c where c.clinic_id = o.clinic_id and c.id = o.client_id),
                             (select cl.timezone from clinics cl where cl.id = o.clinic_id), 'UTC'))::date as today
                     from assignment_occurrences o
                    where o.clinic_id = k.clinic_id and o.case_id = k.id
                      and o.status in ('assigned', 'in_progress', 'overdue')
                   offset 0) x) y)`;
}
