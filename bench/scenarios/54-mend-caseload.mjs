import { httpRows, measureHttp } from '../lib/http-load.mjs';
import { apiRequest, signedInCounselor } from '../lib/mend-staff.mjs';

const CASES = 50;

/**
 * GET /api/v1/cases?limit=50 — a counselor's caseload: 50 couple cases, each
 * with two participants (names, roles, clinic labels, signature of the current
 * secrets policy), the care team with names, the plan phase and the flags
 * (status, safety status, secrets policy complete), visibility-filtered in one
 * query, plus the unit of work, RLS, the session check and the audit row.
 * Against the raw `pg` primary-key select: target ≥ 0.25 of its requests/s,
 * p99 ≤ 50 ms at 50 connections.
 *
 * The counselor is made as in production: invited with the CLI, the invitation
 * accepted through the API, the second factor enrolled (TOTP from the built
 * identity library) — staff never sign in without one outside the demo.
 */
export const scenario = {
  name: 'mend-caseload',
  description: `GET /api/v1/cases?limit=${CASES} (a counselor's ${CASES} couple cases: participants, care team, phase, flags), 50 connections`,
  baselines: ['fastify-pg-select'],
  quick: true,
  async run(ctx) {
    const api = await ctx.mendApi();
    // Shared with the timeline scenario when both run (one counselor per clinic email).
    const { token } = await ctx.once('mend-caseload-counselor', async () => ({
      token: await counselorWithCaseload(ctx, api.baseUrl),
    }));
    const load = await measureHttp(`${api.baseUrl}/api/v1/cases?limit=${CASES}`, {
      connections: ctx.settings.connections,
      serverPid: api.child.pid,
      durationSec: ctx.settings.httpDurationSec,
      warmupSec: ctx.settings.warmupSec,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    return httpRows(load, 'fastify-pg-select');
  },
};

/** A counselor of a new bench clinic, signed in with their second factor, with 50 cases; their access token. */
export async function counselorWithCaseload(ctx, baseUrl) {
  const { token } = await signedInCounselor(ctx, baseUrl, 'Caseload');

  // 50 couple cases through the API: two new clients each, a secrets policy (half signed by nobody yet: the
  // flag varies), every fifth case active, every tenth on safety hold.
  for (let index = 0; index < CASES; index += 1) {
    const clients = [];
    for (const partner of ['A', 'B']) {
      const client = await apiRequest(
        baseUrl,
        'POST',
        '/clients',
        { displayName: `Bench Partner ${partner}${index}`, timezone: 'Europe/London', reminderTime: '19:00' },
        token,
      );
      clients.push(client.id);
    }
    const created = await apiRequest(
      baseUrl,
      'POST',
      '/cases',
      {
        type: 'couple',
        title: `Bench couple ${index}`,
        participants: [
          { clientId: clients[0], role: 'harmed' },
          { clientId: clients[1], role: 'harming' },
        ],
        secretsPolicy: { kind: index % 2 === 0 ? 'no_secrets' : 'limited_secrets' },
      },
      token,
    );
    if (index % 5 === 0) await apiRequest(baseUrl, 'POST', `/cases/${created.id}/status`, { status: 'active' }, token);
    if (index % 10 === 0) {
      await apiRequest(
        baseUrl,
        'PUT',
        `/cases/${created.id}/safety`,
        { status: 'safety_hold', reason: 'Synthetic bench reason' },
        token,
      );
    }
  }
  const page = await apiRequest(baseUrl, 'GET', `/cases?limit=${CASES}`, undefined, token);
  if (page.items?.length !== CASES) throw new Error(`the caseload lists ${page.items?.length} cases, not ${CASES}`);
  return token;
}
