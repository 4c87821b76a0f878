import { localDate } from './local-date.js';

describe('localDate', () => {
  it('gives the local calendar date in the zone, across the local midnight second by second', () => {
    // Auckland is UTC+13 in November (daylight time): local midnight of the 29th is 11:00:00 UTC on the 28th.
    expect(localDate(new Date('2026-11-28T10:59:59.999Z'), 'Pacific/Auckland')).toBe('2026-11-28');
    expect(localDate(new Date('2026-11-28T10:59:59.000Z'), 'Pacific/Auckland')).toBe('2026-11-28');
    expect(localDate(new Date('2026-11-28T11:00:00.000Z'), 'Pacific/Auckland')).toBe('2026-11-29');
    expect(localDate(new Date('2026-11-28T11:00:00.999Z'), 'Pacific/Auckland')).toBe('2026-11-29');
    // The same instant in other zones is answered for those zones, not from the last answer.
    expect(localDate(new Date('2026-11-28T11:00:00.000Z'), 'America/Los_Angeles')).toBe('2026-11-28');
    expect(localDate(new Date('2026-11-28T11:00:00.000Z'), 'Etc/GMT-14')).toBe('2026-11-29');
    expect(localDate(new Date('2026-11-28T09:59:59.000Z'), 'Etc/GMT-14')).toBe('2026-11-28');
    // Back in time within a zone.
    expect(localDate(new Date('2026-11-28T10:59:59.500Z'), 'Pacific/Auckland')).toBe('2026-11-28');
  });

  it('keeps whole-second offsets of the past exact (Monrovia was UTC-00:44:30 until 1972)', () => {
    // Local midnight of 1960-06-02 was 1960-06-02T00:44:30Z.
    expect(localDate(new Date('1960-06-02T00:44:29.999Z'), 'Africa/Monrovia')).toBe('1960-06-01');
    expect(localDate(new Date('1960-06-02T00:44:30.000Z'), 'Africa/Monrovia')).toBe('1960-06-02');
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(localDate(new Date('2026-11-28T23:30:00Z'), 'Not/AZone')).toBe('2026-11-28');
    expect(localDate(new Date('2026-11-29T00:00:00Z'), 'Not/AZone')).toBe('2026-11-29');
  });
});
