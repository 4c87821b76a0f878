import type pg from 'pg';

import { isValidTimezone } from '@mend/core';
import { connectAs } from '@mend/testing';

/**
 * Client and clinic time zones are checked in Node (`isValidTimezone`, ICU) and
 * then also converted in PostgreSQL (`at time zone`: the client's "today", plans,
 * readiness, reports). A zone Node accepts that PostgreSQL does not know would
 * fail those statements, so the two lists must agree on this server.
 */
describe('time zones: every zone the API accepts, PostgreSQL converts', () => {
  let admin: pg.Client;

  beforeAll(async () => {
    admin = await connectAs('admin');
  });

  afterAll(() => admin.end());

  it('knows every IANA zone of the runtime and the legacy names it accepts', async () => {
    const legacy = ['US/Pacific', 'US/Eastern', 'Asia/Calcutta', 'Europe/Kiev', 'America/Buenos_Aires', 'GB', 'UTC'];
    const zones = [...Intl.supportedValuesOf('timeZone'), ...legacy];
    expect(zones.length).toBeGreaterThan(400);
    expect(zones.filter((zone) => !isValidTimezone(zone))).toEqual([]);
    const unknown = await admin.query<{ zone: string }>(
      `select zone from unnest($1::text[]) as zone
        where not exists (select 1 from pg_timezone_names n where lower(n.name) = lower(zone))`,
      [zones],
    );
    expect(unknown.rows).toEqual([]);
    // And each converts: the same local date as Node's for one instant.
    const instant = new Date('2026-03-29T00:30:00Z');
    const { rows } = await admin.query<{ zone: string; local: string }>(
      `select zone, to_char(($2::timestamptz at time zone zone)::date, 'YYYY-MM-DD') as local
         from unnest($1::text[]) as zone`,
      [zones, instant],
    );
    const nodeDate = (zone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        instant,
      );
    expect(rows.filter((row) => row.local !== nodeDate(row.zone))).toEqual([]);
  });
});
