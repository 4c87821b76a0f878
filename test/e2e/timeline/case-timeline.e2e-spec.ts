import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';

interface TimelinePage {
  entries: { at: string; kind: string; id: string; summary: string; refs: Record<string, unknown> }[];
  nextCursor: string | null;
}

describe('GET /cases/:caseId/timeline', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  const changes: { id: string; at: string; to: string }[] = [];

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
    // Three dated status changes (fixture rows; the cases API writes the same rows).
    const steps = [
      { to: 'active', at: '2026-01-05T10:00:00.000Z' },
      { to: 'on_hold', at: '2026-02-01T10:00:00.000Z' },
      { to: 'active', at: '2026-03-01T10:00:00.000Z' },
    ];
    await api.app.get(UnitOfWork).run(world.clinicId, async (tx) => {
      for (const step of steps) {
        const id = randomUUID();
        await tx.query(
          `insert into case_status_changes (clinic_id, id, case_id, to_status, reason, changed_at, changed_by_membership_id)
           values ($1, $2, $3, $4, 'a private reason', $5, $6)`,
          [world.clinicId, id, world.caseId, step.to, step.at, world.counselor.member.membershipId],
        );
        changes.push({ id, at: step.at, to: step.to });
      }
    });
  });
  afterAll(() => api.close());

  const timeline = (headers: Record<string, string>, query = '') =>
    api.inject({ method: 'GET', url: `/api/v1/cases/${world.caseId}/timeline${query}`, headers });

  it('lists what happened newest first for the care team, its supervisor and the participants, without reasons', async () => {
    for (const who of [world.counselor, world.supervisor, world.partnerA, world.partnerB]) {
      const response = await timeline(who.headers);
      expect(response.statusCode).toBe(200);
      const page = response.json<TimelinePage>();
      expect(page.entries.map((entry) => [entry.kind, entry.id, entry.at])).toEqual(
        [...changes].reverse().map((change) => ['case.status_changed', change.id, change.at]),
      );
      expect(response.body).not.toContain('a private reason');
      expect(page.nextCursor).toBeNull();
    }
  });

  it('is refused like a missing case to the clinic admin (directory only) and to a counselor off the care team', async () => {
    expect((await timeline(world.admin.headers)).statusCode).toBe(404);
    const hidden = await timeline(world.otherCounselor.headers);
    expect(hidden.statusCode).toBe(404);
    const unknown = await api.inject({
      method: 'GET',
      url: `/api/v1/cases/${randomUUID()}/timeline`,
      headers: world.otherCounselor.headers,
    });
    expect(hidden.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
  });

  it('pages with an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let query = '?limit=1';
    for (let page = 0; page < 5; page += 1) {
      const body = (await timeline(world.counselor.headers, query)).json<TimelinePage>();
      seen.push(...body.entries.map((entry) => entry.id));
      if (body.nextCursor === null) break;
      query = `?limit=1&before=${body.nextCursor}`;
    }
    expect(seen).toEqual([...changes].reverse().map((change) => change.id));
  });

  it('pages a long history (sources fetch only around the cursor) exactly like one big page', async () => {
    // 130 ledger entries, two per timestamp now and then (ties are ordered by kind and id).
    await api.app.get(UnitOfWork).run(world.clinicId, async (tx) => {
      for (let index = 0; index < 130; index += 1) {
        const at = new Date(Date.UTC(2026, 3, 1) + Math.floor(index / 2) * 3_600_000).toISOString();
        await tx.query(
          `insert into commitment_check_ins (clinic_id, id, case_id, commitment_id, participant_client_id, status,
                                             occurred_on, recorded_by_membership_id, recorded_by_kind, recorded_at)
           values ($1, $2, $3, $4, $5, 'kept', $6::date, $7, 'care_team', $6)`,
          [
            world.clinicId,
            randomUUID(),
            world.caseId,
            randomUUID(),
            world.partnerA.clientId,
            at,
            world.counselor.member.membershipId,
          ],
        );
      }
    });
    const whole = (await timeline(world.counselor.headers, '?limit=500')).json<TimelinePage>();
    expect(whole.entries.length).toBeGreaterThanOrEqual(133);
    const paged: string[] = [];
    let query = '?limit=20';
    for (let page = 0; page < 20; page += 1) {
      const body = (await timeline(world.counselor.headers, query)).json<TimelinePage>();
      paged.push(...body.entries.map((entry) => `${entry.kind}:${entry.id}`));
      if (body.nextCursor === null) break;
      query = `?limit=20&before=${body.nextCursor}`;
    }
    expect(paged).toEqual(whole.entries.map((entry) => `${entry.kind}:${entry.id}`));
  });

  it('answers 400 naming the field for a bad cursor or limit', async () => {
    const badCursor = await timeline(world.counselor.headers, '?before=bm90LWEtY3Vyc29y');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json<{ errors: { field: string }[] }>().errors[0].field).toBe('before');
    const badLimit = await timeline(world.counselor.headers, '?limit=5000');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.body).toContain('limit');
    expect((await timeline(world.counselor.headers, '?sort=asc')).statusCode).toBe(400);
  });
});
