import { localDate } from '@mend/repair-plans';

import { checkSchedule, occurrenceDates, SCHEDULE_LIMITS, type ScheduleInput } from './schedule.js';

const dues = (schedule: ScheduleInput, today = '2026-03-01') => occurrenceDates(schedule, today)?.map((d) => d.dueOn);

describe('occurrence dates (floating local dates, rrule)', () => {
  it('daily across the US spring-forward (8 March 2026, America/New_York): one occurrence per local date', () => {
    const dates = dues({ kind: 'recurring', frequency: 'daily', startsOn: '2026-03-06', count: 5 });
    expect(dates).toEqual(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    // The local day in New York changes at local midnight on both sides of the change:
    // 05:00Z before (EST, UTC-5), 04:00Z after (EDT, UTC-4).
    expect(localDate(new Date('2026-03-08T04:59:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(localDate(new Date('2026-03-08T05:00:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-03-09T03:59:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-03-09T04:00:00Z'), 'America/New_York')).toBe('2026-03-09');
  });

  it('weekly on chosen days across the European autumn change (25 October 2026) keeps the weekdays', () => {
    const dates = dues({
      kind: 'recurring',
      frequency: 'weekly',
      weekdays: ['MO', 'TH'],
      startsOn: '2026-10-19',
      until: '2026-11-05',
    });
    expect(dates).toEqual(['2026-10-19', '2026-10-22', '2026-10-26', '2026-10-29', '2026-11-02', '2026-11-05']);
    for (const date of dates!) expect([1, 4]).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
  });

  it('every N days until a date (inclusive), with grace days', () => {
    const result = occurrenceDates(
      { kind: 'recurring', frequency: 'daily', interval: 3, startsOn: '2026-03-27', until: '2026-04-08', graceDays: 1 },
      '2026-03-01',
    );
    expect(result).toEqual([
      { opensOn: '2026-03-27', dueOn: '2026-03-28' },
      { opensOn: '2026-03-30', dueOn: '2026-03-31' },
      { opensOn: '2026-04-02', dueOn: '2026-04-03' },
      { opensOn: '2026-04-05', dueOn: '2026-04-06' },
      { opensOn: '2026-04-08', dueOn: '2026-04-09' },
    ]);
  });

  it('every other week, weekly default day = the start date weekday', () => {
    expect(dues({ kind: 'recurring', frequency: 'weekly', interval: 2, startsOn: '2026-03-04', count: 3 })).toEqual([
      '2026-03-04',
      '2026-03-18',
      '2026-04-01',
    ]);
  });

  it('once: opens today unless told otherwise', () => {
    expect(occurrenceDates({ kind: 'once', dueOn: '2026-03-10' }, '2026-03-01')).toEqual([
      { opensOn: '2026-03-01', dueOn: '2026-03-10' },
    ]);
    expect(occurrenceDates({ kind: 'once', dueOn: '2026-03-10', opensOn: '2026-03-08' }, '2026-03-01')).toEqual([
      { opensOn: '2026-03-08', dueOn: '2026-03-10' },
    ]);
  });

  it('refuses unbounded, too long or malformed schedules', () => {
    const fields = (schedule: ScheduleInput) =>
      checkSchedule(schedule, '2026-03-01').map((p) => `${p.field}:${p.rule}`);
    expect(fields({ kind: 'recurring', frequency: 'daily', startsOn: '2026-03-01' })).toContain(
      'schedule.until:untilOrCount',
    );
    expect(fields({ kind: 'once', dueOn: '2026-02-28' })).toEqual(['schedule.dueOn:notPast']);
    expect(fields({ kind: 'once', dueOn: '2026-02-30' })).toEqual(['schedule.dueOn:date']);
    expect(
      fields({ kind: 'recurring', frequency: 'daily', startsOn: '2026-03-01', count: 1, weekdays: ['MO'] }),
    ).toEqual(['schedule.weekdays:weeklyOnly']);
    expect(
      occurrenceDates(
        { kind: 'recurring', frequency: 'daily', startsOn: '2026-03-01', until: '2028-03-01' },
        '2026-03-01',
      ),
    ).toBeNull();
    expect(
      occurrenceDates(
        { kind: 'recurring', frequency: 'daily', startsOn: '2026-03-01', count: SCHEDULE_LIMITS.maxOccurrences },
        '2026-03-01',
      ),
    ).toHaveLength(SCHEDULE_LIMITS.maxOccurrences);
  });
});
