import { ReportsError } from '../reports.errors.js';
import { endOf, REPORT_PERIOD_MAX_DAYS, reportPeriod, weeksOf } from './period.js';

const now = new Date('2026-06-15T12:00:00Z');

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof ReportsError ? `${error.status} ${error.code} ${error.errors?.[0]?.field ?? ''}` : 'other';
  }
}

describe('report periods', () => {
  it('reads local dates [start, end) in the clinic timezone, across a DST change', () => {
    expect(reportPeriod('2026-03-01', '2026-04-01', 'Europe/London', now)).toEqual({
      start: '2026-03-01',
      end: '2026-04-01',
      timezone: 'Europe/London',
      startsAt: '2026-03-01T00:00:00.000Z',
      // British Summer Time began on 29 March: midnight of 1 April is 23:00 UTC the day before.
      endsAt: '2026-03-31T23:00:00.000Z',
      days: 31,
    });
  });

  it.each([
    ['reversed', '2026-03-01', '2026-02-01', '422 report_period_reversed period.end'],
    ['empty', '2026-03-01', '2026-03-01', '422 report_period_empty period.end'],
    ['too long', '2025-01-01', '2026-01-03', '422 report_period_too_long period.end'],
    ['in the future', '2026-06-01', '2026-06-18', '422 report_period_in_future period.end'],
    ['not a date', '2026-02-30x', '2026-03-01', '422 report_period_reversed period.start'],
  ])('refuses a period %s', (_label, start, end, expected) => {
    expect(codeOf(() => reportPeriod(start, end, 'UTC', now))).toBe(expected);
  });

  it(`accepts exactly ${REPORT_PERIOD_MAX_DAYS} days, and an end of tomorrow`, () => {
    expect(reportPeriod('2025-01-01', '2026-01-02', 'UTC', now).days).toBe(366);
    expect(reportPeriod('2026-06-01', '2026-06-16', 'UTC', now).end).toBe('2026-06-16');
  });

  it('lists the ISO weeks overlapping the period and reads states at the end or the as-of instant', () => {
    expect(weeksOf({ start: '2025-12-31', end: '2026-01-13' })).toEqual([
      { week: '2026-W01', startsOn: '2025-12-29' },
      { week: '2026-W02', startsOn: '2026-01-05' },
      { week: '2026-W03', startsOn: '2026-01-12' },
    ]);
    const period = { endsAt: '2026-02-01T00:00:00.000Z' };
    expect(endOf(period, new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(endOf(period, new Date('2026-01-20T00:00:00Z')).toISOString()).toBe('2026-01-20T00:00:00.000Z');
  });
});
