import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { addBoundary } from '../ledger/support/plan-items.js';

interface Alert {
  readonly id: string;
  readonly tier: number;
  readonly trigger: string;
  readonly ruleIds: string[];
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  readonly subjectClientId: string | null;
  readonly suggestSafetyHold: boolean;
}

/**
 * Repeated boundary breaches (clinical.md §4.3 tier 3): with the clinic's default
 * settings (3 events within 14 days), the third boundary event of a case that
 * occurred within the window raises one tier-3 alert for the care team, in the
 * request that records it; fewer events, or events older than the window, raise
 * nothing; further events within the window raise no second alert.
 */
describe('repeated boundary breaches (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;
  let boundaryId: string;
  let base: string;

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  const breach = async (occurredAt: string, headers = world.counselor.headers) => {
    const response = await send('POST', `${base}/boundary-events`, headers, {
      boundaryId,
      occurredAt,
      severity: 'low',
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string }>();
  };
  const breachAlerts = async () => {
    const response = await send('GET', `${base}/safety-alerts`, world.counselor.headers);
    expect(response.statusCode).toBe(200);
    return response.json<{ alerts: Alert[] }>().alerts.filter((alert) => alert.trigger === 'boundary_breaches');
  };

  beforeAll(async () => {
    api = await startIdentityApp();
    api.clock.set(new Date('2026-06-01T12:00:00Z'));
    world = await createCaseWorld(api);
    base = `/api/v1/cases/${world.caseId}`;
    boundaryId = await addBoundary(api, world);
  });
  afterAll(() => api.close());

  it('raises nothing for N-1 events in the window, nor for an event older than the window', async () => {
    await breach('2026-05-10T10:00:00Z'); // 22 days ago: outside the 14-day window
    await breach('2026-05-25T10:00:00Z');
    await breach('2026-05-30T10:00:00Z');
    expect(await breachAlerts()).toEqual([]);
  });

  it('raises one tier-3 alert on the Nth event in the window (recorded by a participant, who learns nothing)', async () => {
    const third = await breach('2026-06-01T09:00:00Z', world.partnerA.headers);
    expect(JSON.stringify(third)).not.toMatch(/alert|safety/i);
    const alerts = await breachAlerts();
    expect(alerts).toEqual([
      expect.objectContaining({
        tier: 3,
        trigger: 'boundary_breaches',
        ruleIds: ['repeated-boundary-breaches'],
        sourceType: 'boundary_event',
        sourceId: third.id,
        subjectClientId: null,
        suggestSafetyHold: false,
      }),
    ]);
    // Participants never see safety alerts.
    expect((await send('GET', `${base}/safety-alerts`, world.partnerA.headers)).statusCode).toBe(404);
  });

  it('raises no second alert for further events in the same window', async () => {
    await breach('2026-06-01T10:00:00Z');
    await breach('2026-06-01T11:00:00Z');
    expect(await breachAlerts()).toHaveLength(1);
  });

  it("honours the clinic's own threshold (2 events within 7 days)", async () => {
    const other = await createCaseWorld(api); // a clinic of its own
    const settings = await send('PUT', '/api/v1/clinic/safety-settings', other.admin.headers, {
      boundaryBreachCount: 2,
      boundaryBreachWindowDays: 7,
    });
    expect(settings.statusCode).toBe(200);
    const otherBase = `/api/v1/cases/${other.caseId}`;
    const otherBoundary = await addBoundary(api, other);
    const record = (occurredAt: string) =>
      send('POST', `${otherBase}/boundary-events`, other.counselor.headers, {
        boundaryId: otherBoundary,
        occurredAt,
        severity: 'moderate',
      });
    const alertsOf = async () =>
      (await send('GET', `${otherBase}/safety-alerts`, other.counselor.headers))
        .json<{ alerts: Alert[] }>()
        .alerts.filter((alert) => alert.trigger === 'boundary_breaches');
    expect((await record('2026-05-20T10:00:00Z')).statusCode).toBe(201); // 12 days ago: outside 7 days
    expect((await record('2026-05-31T10:00:00Z')).statusCode).toBe(201);
    expect(await alertsOf()).toEqual([]);
    expect((await record('2026-06-01T10:00:00Z')).statusCode).toBe(201);
    expect(await alertsOf()).toEqual([expect.objectContaining({ tier: 3, trigger: 'boundary_breaches' })]);
  });
});
