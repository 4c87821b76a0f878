import { addDays, deferThroughQuietHours, isInQuietHours, localDateOf, localInstant } from './local-time.js';

const QUIET = { start: '21:00', end: '08:00' };
const iso = (date: Date) => date.toISOString();

describe('local time and quiet hours (luxon, IANA zones)', () => {
  it('places a wall-clock time in the recipient’s zone, also on DST change days', () => {
    expect(iso(localInstant('2026-03-28', '18:00', 'Europe/London'))).toBe('2026-03-28T18:00:00.000Z');
    expect(iso(localInstant('2026-03-29', '18:00', 'Europe/London'))).toBe('2026-03-29T17:00:00.000Z');
    expect(iso(localInstant('2026-10-25', '18:00', 'Europe/London'))).toBe('2026-10-25T18:00:00.000Z');
    // 02:30 does not exist in New York on 2026-03-08: the wall clock moves forward by the gap.
    expect(iso(localInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: luxon resolves it to the second one (EST).
    expect(iso(localInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T06:30:00.000Z');
  });

  it('reads the local date of an instant and adds calendar days', () => {
    expect(localDateOf(new Date('2026-03-29T23:30:00Z'), 'Europe/London')).toBe('2026-03-30');
    expect(localDateOf(new Date('2026-03-29T23:30:00Z'), 'America/New_York')).toBe('2026-03-29');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('finds quiet hours across midnight and within a day', () => {
    expect(isInQuietHours(new Date('2026-06-01T20:30:00Z'), 'Europe/London', QUIET)).toBe(true); // 21:30 BST
    expect(isInQuietHours(new Date('2026-06-01T06:59:00Z'), 'Europe/London', QUIET)).toBe(true); // 07:59 BST
    expect(isInQuietHours(new Date('2026-06-01T07:00:00Z'), 'Europe/London', QUIET)).toBe(false); // 08:00 BST
    expect(isInQuietHours(new Date('2026-06-01T12:00:00Z'), 'UTC', { start: '12:00', end: '14:00' })).toBe(true);
    expect(isInQuietHours(new Date('2026-06-01T12:00:00Z'), 'UTC', { start: '00:00', end: '00:00' })).toBe(false);
    expect(isInQuietHours(new Date('2026-06-01T12:00:00Z'), 'UTC', null)).toBe(false);
  });

  it.each([
    // [zone, due (UTC), fire (UTC), what]
    ['Europe/London', '2026-03-28T23:30:00Z', '2026-03-29T07:00:00Z', 'evening before spring forward → 08:00 BST'],
    ['Europe/London', '2026-03-29T00:30:00Z', '2026-03-29T07:00:00Z', 'after midnight on the change day → 08:00 BST'],
    ['Europe/London', '2026-10-24T21:30:00Z', '2026-10-25T08:00:00Z', 'evening before fall back → 08:00 GMT'],
    ['Europe/London', '2026-10-25T01:30:00Z', '2026-10-25T08:00:00Z', 'in the repeated hour → 08:00 GMT'],
    ['America/New_York', '2026-03-08T06:00:00Z', '2026-03-08T12:00:00Z', '01:00 EST on spring forward → 08:00 EDT'],
    ['America/New_York', '2026-11-01T05:30:00Z', '2026-11-01T13:00:00Z', '01:30 EDT on fall back → 08:00 EST'],
    ['Australia/Sydney', '2026-04-04T12:00:00Z', '2026-04-04T22:00:00Z', '23:00 AEDT before fall back → 08:00 AEST'],
  ])('%s: a reminder due at %s inside quiet hours fires at %s (%s)', (zone, due, fire) => {
    const result = deferThroughQuietHours(new Date(due), zone, QUIET);
    expect(iso(result.fireAt)).toBe(new Date(fire).toISOString());
    expect(result.deferredFrom?.toISOString()).toBe(new Date(due).toISOString());
  });

  it('leaves a reminder outside quiet hours alone, and defers to an end that falls in a skipped hour by the gap', () => {
    expect(deferThroughQuietHours(new Date('2026-06-01T12:00:00Z'), 'Europe/London', QUIET)).toEqual({
      fireAt: new Date('2026-06-01T12:00:00Z'),
      deferredFrom: null,
    });
    // Quiet 00:30–02:30 in New York on 2026-03-08: 02:30 is skipped, so the end is 03:30 EDT.
    const result = deferThroughQuietHours(new Date('2026-03-08T06:00:00Z'), 'America/New_York', {
      start: '00:30',
      end: '02:30',
    });
    expect(iso(result.fireAt)).toBe('2026-03-08T07:30:00.000Z');
  });
});
