import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, insertClient, type CaseWorld } from '../cases/support/case-world.js';
import { call } from '../cases/support/http.js';

type Headers = Record<string, string>;

/**
 * No N+1 on the main list routes: each route costs the same number of SQL
 * statements (counted at the pg driver, one-off PREPAREs left out) whether it
 * lists a few items or many, and stays within a small budget. The caseload,
 * the homework overview and the hot prefetched routes have their own tests
 * (cases.e2e-spec, homework-overview.e2e-spec, prefetch.e2e-spec).
 */
describe('statements per request on the main list routes (no N+1)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let caseBase: string;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
    caseBase = `/cases/${world.caseId}`;
  });
  afterAll(() => api.close());

  /** The statements one request sends, and its answer. */
  async function measure(url: string, headers: Headers): Promise<{ statements: number; body: unknown }> {
    const { default: pg } = await import('pg');
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    let statements = 0;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const [first] = args;
      const text = typeof first === 'string' ? first : String((first as { text?: string }).text);
      if (!text.startsWith('PREPARE ')) statements += 1;
      return original.apply(this, args);
    };
    try {
      const response = await call(api, 'GET', url, headers);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      return { statements, body: response.json<unknown>() };
    } finally {
      prototype.query = original;
    }
  }

  /**
   * Measures the route after `grow` added items, and again after it added more:
   * the answer has more items, the statement count is the same.
   */
  async function expectFlat(
    url: string,
    headers: Headers,
    count: (body: unknown) => number,
    grow: () => Promise<unknown>,
    budget: number,
  ): Promise<void> {
    await grow(); // a few items first: an empty list may skip its per-page reads
    await measure(url, headers); // warm: prepared statements, caches
    const small = await measure(url, headers);
    await grow();
    const large = await measure(url, headers);
    expect({ url, grew: count(large.body) > count(small.body) }).toEqual({ url, grew: true });
    expect({ url, statements: large.statements }).toEqual({ url, statements: small.statements });
    expect({ url, statements: large.statements, withinBudget: large.statements <= budget }).toEqual({
      url,
      statements: large.statements,
      withinBudget: true,
    });
  }

  /** Schedules a joint session, each on its own day (a counselor cannot be double-booked). */
  let slot = 0;
  const schedule = async () => {
    slot += 1;
    const day = new Date(Date.UTC(2031, 0, 1) + slot * 86_400_000).toISOString().slice(0, 10);
    const response = await call(api, 'POST', `${caseBase}/sessions`, world.counselor.headers, {
      startsAtLocal: `${day}T10:00`,
      timezone: 'Europe/London',
      durationMinutes: 50,
      modality: 'in_person',
      kind: 'joint',
    });
    expect(response.statusCode).toBe(201);
  };

  const times = async (n: number, action: (index: number) => Promise<unknown>) => {
    for (let index = 0; index < n; index += 1) await action(index);
  };
  const items = (key: string) => (body: unknown) => ((body as Record<string, unknown[]>)[key] ?? []).length;

  it('GET /clients', async () => {
    await expectFlat(
      '/clients?limit=100',
      world.admin.headers,
      items('items'),
      () => times(30, () => insertClient(api, world.clinicId)),
      6,
    );
  });

  it('GET /notifications', async () => {
    const membershipId = world.partnerA.member.membershipId;
    await expectFlat(
      '/notifications?limit=50',
      world.partnerA.headers,
      items('items'),
      () =>
        api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
          tx.query(
            `insert into notifications (clinic_id, id, recipient_membership_id, kind, title)
             select $1, gen_random_uuid(), $2, 'reminder.check_in', 'Synthetic reminder' from generate_series(1, 30)`,
            [world.clinicId, membershipId],
          ),
        ),
      6,
    );
  });

  it('GET /cases/:id/sessions and /cases/:id/notes', async () => {
    await expectFlat(`${caseBase}/sessions`, world.counselor.headers, items('sessions'), () => times(12, schedule), 8);
    const write = async () => {
      const response = await call(api, 'POST', `${caseBase}/notes`, world.counselor.headers, {
        template: 'free',
        body: { text: `Synthetic note ${randomUUID()}` },
      });
      expect(response.statusCode).toBe(201);
    };
    await expectFlat(`${caseBase}/notes`, world.counselor.headers, items('notes'), () => times(12, write), 8);
  });

  it('GET /safety-alerts and /cases/:id/safety-alerts', async () => {
    const raise = () =>
      api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
        tx.query(
          `insert into safety_alerts (clinic_id, id, case_id, subject_client_id, tier, trigger, rule_ids, spans, status, raised_at)
           select $1, gen_random_uuid(), $2, $3, 2, 'manual', '[]', '[]', 'open', now() - n * interval '1 minute'
             from generate_series(1, 10) n`,
          [world.clinicId, world.caseId, world.partnerA.clientId],
        ),
      );
    await expectFlat('/safety-alerts', world.counselor.headers, items('alerts'), raise, 6);
    await expectFlat(`${caseBase}/safety-alerts`, world.counselor.headers, items('alerts'), raise, 6);
  });

  it('GET /cases/:id/timeline', async () => {
    await expectFlat(`${caseBase}/timeline`, world.counselor.headers, items('entries'), () => times(8, schedule), 16);
  });

  it('GET /reports', async () => {
    const request = async () => {
      const response = await call(api, 'POST', '/reports', world.counselor.headers, {
        kind: 'case',
        audience: 'care_team',
        caseId: world.caseId,
        period: { start: '2026-01-05', end: '2026-03-02' },
      });
      expect(response.statusCode).toBe(202);
    };
    await expectFlat('/reports', world.counselor.headers, items('reports'), () => times(6, request), 6);
  });

  it('GET /audit-events', async () => {
    const read = () => call(api, 'GET', `/clients/${world.partnerA.clientId}`, world.counselor.headers);
    await expectFlat(
      `/audit-events?limit=100&action=client.read&targetId=${world.partnerA.clientId}`,
      world.admin.headers,
      items('items'),
      () => times(10, read),
      6,
    );
  });
});
