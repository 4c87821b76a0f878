import type { LightMyRequestResponse } from 'fastify';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Member,
  type Tokens,
} from '../auth/support/identity-app.js';

interface AuditItem {
  seq: string;
  id: string;
  action: string;
  outcome: string;
  occurredAt: string;
  actorUserId: string | null;
  actorMembershipId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  correlationId: string | null;
  metadata: Record<string, unknown>;
}

interface AuditPage {
  items: AuditItem[];
  nextBefore: string | null;
}

function monthBounds(now = new Date()): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from: from.toISOString(), to: to.toISOString() };
}

describe('GET /api/v1/audit-events', () => {
  let api: IdentityApp;
  let adminA: Member;
  let adminATokens: Tokens;
  let counselorA: Member;
  let counselorATokens: Tokens;
  let adminB: Member;
  let adminBTokens: Tokens;

  beforeAll(async () => {
    api = await startIdentityApp();
    adminA = await createClinicWithAdmin(api.identity, 'Audit Clinic A');
    counselorA = await addMember(api.identity, adminA.clinicId, ['counselor']);
    adminB = await createClinicWithAdmin(api.identity, 'Audit Clinic B');
    adminATokens = await signIn(api, adminA);
    counselorATokens = await signIn(api, counselorA);
    adminBTokens = await signIn(api, adminB);
  });
  afterAll(() => api.close());

  const query = (tokens: Tokens, params: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    api.inject({
      method: 'GET',
      url: `/api/v1/audit-events?${new URLSearchParams(params).toString()}`,
      headers: bearer(tokens.accessToken),
    });

  it('answers who signed in this month, newest first, with ids only', async () => {
    const response = await query(adminATokens, { action: 'auth.login', outcome: 'success', ...monthBounds() });
    expect(response.statusCode).toBe(200);
    const page = response.json<AuditPage>();
    expect(page.items.every((item) => item.action === 'auth.login' && item.outcome === 'success')).toBe(true);
    expect(new Set(page.items.map((item) => item.actorUserId))).toEqual(new Set([adminA.userId, counselorA.userId]));
    const seqs = page.items.map((item) => BigInt(item.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const sample = page.items[0];
    expect(sample).toEqual({
      seq: expect.stringMatching(/^\d+$/),
      id: expect.any(String),
      action: 'auth.login',
      outcome: 'success',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actorUserId: expect.any(String),
      actorMembershipId: expect.any(String),
      targetType: expect.anything(),
      targetId: expect.anything(),
      ip: expect.anything(),
      correlationId: expect.any(String),
      metadata: expect.any(Object),
    });
    // No email or name of anyone in the answer.
    expect(response.body).not.toContain(adminA.email);
    expect(response.body).not.toContain(counselorA.email);
  });

  it('filters by actor and by action prefix, and pages with the keyset cursor', async () => {
    const mine = (await query(adminATokens, { actorUserId: counselorA.userId })).json<AuditPage>();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((item) => item.actorUserId === counselorA.userId)).toBe(true);

    const prefixed = (await query(adminATokens, { action: 'auth.*', limit: '200' })).json<AuditPage>();
    expect(prefixed.items.length).toBeGreaterThan(0);
    expect(prefixed.items.every((item) => item.action.startsWith('auth.'))).toBe(true);

    const first = (await query(adminATokens, { limit: '2' })).json<AuditPage>();
    expect(first.items).toHaveLength(2);
    expect(first.nextBefore).toBe(first.items[1].seq);
    const second = (await query(adminATokens, { limit: '2', before: first.nextBefore as string })).json<AuditPage>();
    expect(second.items.length).toBeGreaterThan(0);
    expect(BigInt(second.items[0].seq)).toBeLessThan(BigInt(first.items[1].seq));
  });

  it('records the read itself as audit.read with the filters (codes and ids only)', async () => {
    const response = await query(adminATokens, { targetType: 'membership', actorUserId: counselorA.userId });
    expect(response.statusCode).toBe(200);
    const correlationId = response.headers['x-request-id'] as string;
    const reads = (await query(adminATokens, { action: 'audit.read', limit: '200' })).json<AuditPage>();
    const row = reads.items.find((item) => item.correlationId === correlationId);
    expect(row).toMatchObject({
      action: 'audit.read',
      outcome: 'success',
      actorUserId: adminA.userId,
      actorMembershipId: adminA.membershipId,
      targetType: 'membership',
      metadata: expect.objectContaining({ filterActorUserId: counselorA.userId, limit: 50 }),
    });
  });

  it('refuses members who are not clinic admins (403, like the other admin routes)', async () => {
    const response = await query(counselorATokens);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden' });
  });

  it("shows another clinic's admin nothing of clinic A, whatever the filters", async () => {
    const byActor = (await query(adminBTokens, { actorUserId: adminA.userId })).json<AuditPage>();
    expect(byActor.items).toEqual([]);
    const byTarget = (await query(adminBTokens, { targetId: counselorA.membershipId })).json<AuditPage>();
    expect(byTarget.items).toEqual([]);
    const all = (await query(adminBTokens, { limit: '200' })).json<AuditPage>();
    expect(all.items.length).toBeGreaterThan(0);
    const clinicAUsers = [adminA.userId, counselorA.userId];
    expect(all.items.filter((item) => clinicAUsers.includes(item.actorUserId ?? ''))).toEqual([]);
    expect(all.items.every((item) => item.actorUserId === adminB.userId || item.actorUserId === null)).toBe(true);
  });

  it.each([
    ['targetId', { targetId: 'not-a-uuid' }],
    ['actorUserId', { actorUserId: '1234' }],
    ['action', { action: 'Auth Login' }],
    ['action', { action: '*' }],
    ['outcome', { outcome: 'maybe' }],
    ['from', { from: 'last tuesday' }],
    ['to', { to: '2026-13-45T00:00:00Z' }],
    ['limit', { limit: '0' }],
    ['limit', { limit: '201' }],
    ['limit', { limit: 'ten' }],
    ['before', { before: '-5' }],
    ['targetType', { targetType: 'Membership;drop' }],
    ['clinicId', { clinicId: '00000000-0000-4000-8000-000000000000' }],
  ])('answers 400 naming %s for a bad filter', async (field, params) => {
    const response = await query(adminATokens, params);
    expect(response.statusCode).toBe(400);
    const body = response.json<{ code: string; errors: { field: string }[] }>();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((error) => error.field)).toContain(field);
  });

  it('answers 422 when from is after to', async () => {
    const response = await query(adminATokens, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'rule_violated',
      errors: [expect.objectContaining({ field: 'from' })],
    });
  });
});
