import { addDays } from '@mend/repair-plans';

import { RRule } from './rrule.js';

/**
 * When an assignment is due (PRODUCT.md, Assignment): once by a date, or recurring
 * (daily, weekly on chosen days, every N days or weeks) until a date or for a
 * count. Every schedule is bounded, so all occurrences are created with the
 * assignment.
 *
 * Occurrences are CALENDAR DATES in the recipient's timezone (clients.timezone).
 * The recurrence is expanded by rrule over floating dates (UTC midnights standing
 * for local dates, never converted through a timezone), so a daylight-saving
 * change cannot shift a date: the 29 March occurrence is on 29 March in London
 * whatever the offset that day. The timezone only decides which local day it is
 * now (when an occurrence opens and when it is overdue).
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Frequency = 'daily' | 'weekly';

export type ScheduleInput =
  | {
      readonly kind: 'once';
      /** The last local day on time (`YYYY-MM-DD`). */
      readonly dueOn: string;
      /** The first local day it may be answered; default: the day it is assigned. */
      readonly opensOn?: string;
    }
  | {
      readonly kind: 'recurring';
      readonly frequency: Frequency;
      /** Every N days (daily) or N weeks (weekly); default 1. */
      readonly interval?: number;
      /** Weekly only: the days (default: the weekday of `startsOn`). */
      readonly weekdays?: readonly Weekday[];
      readonly startsOn: string;
      /** Exactly one of `until` (inclusive) and `count`. */
      readonly until?: string;
      readonly count?: number;
      /** Days after its date an occurrence is still on time (0: due the same local day). */
      readonly graceDays?: number;
    };

export interface OccurrenceDates {
  readonly opensOn: string;
  readonly dueOn: string;
}

export const SCHEDULE_LIMITS = {
  /** Occurrences per recipient. */
  maxOccurrences: 366,
  maxInterval: 52,
  maxGraceDays: 6,
} as const;

export interface ScheduleProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const floating = (date: string): Date => new Date(`${date}T00:00:00Z`);
const dateOf = (instant: Date): string => instant.toISOString().slice(0, 10);

const RRULE_WEEKDAY = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
} as const;

/** Problems with a schedule (field paths under `schedule`), empty when it can be expanded. */
export function checkSchedule(schedule: ScheduleInput, today: string): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const problem = (field: string, rule: string, message: string) =>
    problems.push({ field: `schedule.${field}`, rule, message });
  if (schedule.kind === 'once') {
    if (!isCalendarDate(schedule.dueOn)) problem('dueOn', 'date', 'must be a date (YYYY-MM-DD)');
    else if (schedule.dueOn < today) problem('dueOn', 'notPast', `must not be before the recipient's today (${today})`);
    if (schedule.opensOn !== undefined) {
      if (!isCalendarDate(schedule.opensOn)) problem('opensOn', 'date', 'must be a date (YYYY-MM-DD)');
      else if (isCalendarDate(schedule.dueOn) && schedule.opensOn > schedule.dueOn)
        problem('opensOn', 'beforeDue', 'must not be after dueOn');
    }
    return problems;
  }
  if (!isCalendarDate(schedule.startsOn)) problem('startsOn', 'date', 'must be a date (YYYY-MM-DD)');
  const interval = schedule.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1 || interval > SCHEDULE_LIMITS.maxInterval)
    problem('interval', 'range', `must be an integer from 1 to ${SCHEDULE_LIMITS.maxInterval}`);
  const grace = schedule.graceDays ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > SCHEDULE_LIMITS.maxGraceDays)
    problem('graceDays', 'range', `must be an integer from 0 to ${SCHEDULE_LIMITS.maxGraceDays}`);
  if ((schedule.until === undefined) === (schedule.count === undefined))
    problem('until', 'untilOrCount', 'give exactly one of until and count');
  if (schedule.until !== undefined) {
    if (!isCalendarDate(schedule.until)) problem('until', 'date', 'must be a date (YYYY-MM-DD)');
    else if (isCalendarDate(schedule.startsOn) && schedule.until < schedule.startsOn)
      problem('until', 'afterStart', 'must not be before startsOn');
  }
  if (
    schedule.count !== undefined &&
    (!Number.isInteger(schedule.count) || schedule.count < 1 || schedule.count > SCHEDULE_LIMITS.maxOccurrences)
  )
    problem('count', 'range', `must be an integer from 1 to ${SCHEDULE_LIMITS.maxOccurrences}`);
  if (schedule.frequency === 'daily' && schedule.weekdays !== undefined)
    problem('weekdays', 'weeklyOnly', 'weekdays are for weekly schedules');
  if (schedule.weekdays !== undefined) {
    if (schedule.weekdays.length === 0 || new Set(schedule.weekdays).size !== schedule.weekdays.length)
      problem('weekdays', 'distinct', 'must list one or more distinct days');
    if (schedule.weekdays.some((day) => !(WEEKDAYS as readonly string[]).includes(day)))
      problem('weekdays', 'weekday', `must be among ${WEEKDAYS.join(', ')}`);
  }
  return problems;
}

/**
 * The dated occurrences of a valid schedule (see {@link checkSchedule}), in order.
 * `today` is the recipient's local day when assigned (a once-schedule opens then
 * unless it says otherwise). Returns null when the schedule yields more than
 * {@link SCHEDULE_LIMITS.maxOccurrences} occurrences, or none.
 */
export function occurrenceDates(schedule: ScheduleInput, today: string): OccurrenceDates[] | null {
  if (schedule.kind === 'once') {
    const opensOn = schedule.opensOn ?? (today < schedule.dueOn ? today : schedule.dueOn);
    return [{ opensOn, dueOn: schedule.dueOn }];
  }
  const rule = new RRule({
    freq: schedule.frequency === 'daily' ? RRule.DAILY : RRule.WEEKLY,
    interval: schedule.interval ?? 1,
    dtstart: floating(schedule.startsOn),
    ...(schedule.until !== undefined ? { until: floating(schedule.until) } : {}),
    ...(schedule.count !== undefined ? { count: schedule.count } : {}),
    ...(schedule.frequency === 'weekly' ? { wkst: RRule.MO } : {}),
    ...(schedule.weekdays !== undefined ? { byweekday: schedule.weekdays.map((day) => RRULE_WEEKDAY[day]) } : {}),
    tzid: null,
  });
  const dates = rule.all((_date, index) => index <= SCHEDULE_LIMITS.maxOccurrences);
  if (dates.length === 0 || dates.length > SCHEDULE_LIMITS.maxOccurrences) return null;
  const grace = schedule.graceDays ?? 0;
  return dates.map((instant) => {
    const date = dateOf(instant);
    return { opensOn: date, dueOn: addDays(date, grace) };
  });
}
