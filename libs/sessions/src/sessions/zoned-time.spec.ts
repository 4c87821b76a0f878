import { offsetMinutesAt, resolveLocalTime, toZonedIso } from './zoned-time.js';

describe('zoned session times (DST)', () => {
  it('resolves the same 10:00 wall-clock time to different UTC instants across the US spring change', () => {
    const before = resolveLocalTime('2026-03-07T10:00', 'America/New_York');
    const after = resolveLocalTime('2026-03-09T10:00', 'America/New_York');
    expect(before).toEqual({ ok: true, instant: new Date('2026-03-07T15:00:00.000Z') });
    expect(after).toEqual({ ok: true, instant: new Date('2026-03-09T14:00:00.000Z') });
  });

  it('shows a stored instant in each client timezone with the offset in force that day', () => {
    const instant = new Date('2026-03-30T08:30:00.000Z');
    expect(toZonedIso(instant, 'Europe/Berlin')).toBe('2026-03-30T10:30:00+02:00');
    expect(toZonedIso(instant, 'America/New_York')).toBe('2026-03-30T04:30:00-04:00');
    expect(toZonedIso(new Date('2026-03-27T09:30:00.000Z'), 'Europe/Berlin')).toBe('2026-03-27T10:30:00+01:00');
    expect(toZonedIso(instant, 'Asia/Kolkata')).toBe('2026-03-30T14:00:00+05:30');
  });

  it('refuses a wall-clock time skipped by spring-forward', () => {
    expect(resolveLocalTime('2026-03-08T02:30', 'America/New_York')).toEqual({ ok: false, reason: 'nonexistent' });
    expect(resolveLocalTime('2026-03-29T02:30', 'Europe/Berlin')).toEqual({ ok: false, reason: 'nonexistent' });
  });

  it('reports a fall-back time as ambiguous unless the earlier one is asked for', () => {
    expect(resolveLocalTime('2026-11-01T01:30', 'America/New_York')).toEqual({ ok: false, reason: 'ambiguous' });
    expect(resolveLocalTime('2026-11-01T01:30', 'America/New_York', true)).toEqual({
      ok: true,
      instant: new Date('2026-11-01T05:30:00.000Z'),
    });
  });

  it('refuses malformed times and unknown zones', () => {
    expect(resolveLocalTime('2026-02-30T10:00', 'UTC')).toEqual({ ok: false, reason: 'invalid' });
    expect(resolveLocalTime('2026-03-01T10:00', 'Mars/Olympus')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('computes offsets', () => {
    expect(offsetMinutesAt(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutesAt(new Date('2026-01-01T12:00:00Z'), 'America/New_York')).toBe(-300);
  });
});
