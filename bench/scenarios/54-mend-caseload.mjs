import { randomUUID } from 'node:crypto';

import { httpRows, measureHttp } from '../lib/http-load.mjs';

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
    const token = await counselorWithCaseload(ctx, api.baseUrl);
    const load = await measureHttp(`${api.baseUrl}/api/v1/cases?limit=${CASES}`, {
      connections: ctx.settings.connections,
      durationSec: ctx.settings.httpDurationSec,
      warmupSec: ctx.settings.warmupSec,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }),
    });
    return httpRows(load, 'fastify-pg-select');
  },
};

async function request(baseUrl, method, path, body, token) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text === '' ? {} : JSON.parse(text);
}

/** A counselor of a new bench clinic, signed in with their second factor, with 50 cases; their access token. */
export async function counselorWithCaseload(ctx, baseUrl) {
  const urls = await ctx.mendDatabase();
  const env = { DATABASE_URL: urls.runtimeUrl, MASTER_KEY: ctx.runSecret('master', 32) };
  const clinicId = (
    await ctx.cli(
      [
        'clinic:create',
        '--name',
        'Bench Caseload Clinic',
        '--admin-email',
        `bench-caseload-admin-${ctx.runId}@bench.mend.example`,
        '--admin-password',
        `bench-admin-${randomUUID()}`,
      ],
      env,
    )
  ).trim();
  const email = `bench-counselor-${ctx.runId}@bench.mend.example`;
  const output = await ctx.cli(['user:invite', '--clinic', clinicId, '--email', email, '--roles', 'counselor'], env);
  const link = output.split('\n').find((line) => line.includes('token='));
  if (link === undefined) throw new Error(`user:invite printed no link: ${output}`);
  const password = `bench-${randomUUID()}`;
  await request(baseUrl, 'POST', '/invitations/accept', {
    token: new URL(link.trim()).searchParams.get('token'),
    password,
  });

  // Staff sign in with a second factor: enrol one (TOTP) during this first sign-in.
  const { totpCodeAt } = await ctx.importDist('libs/identity/src/index.js');
  const login = await request(baseUrl, 'POST', '/auth/login', { email, password });
  if (typeof login.mfaToken !== 'string') throw new Error('the counselor sign-in asked for no second factor');
  const { secret } = await request(baseUrl, 'POST', '/auth/mfa/enroll/start', { mfaToken: login.mfaToken });
  const confirmed = await request(baseUrl, 'POST', '/auth/mfa/enroll/confirm', {
    mfaToken: login.mfaToken,
    code: await totpCodeAt(secret, Date.now()),
  });
  const token = confirmed.accessToken;
  if (typeof token !== 'string') throw new Error('enrolling the second factor answered no access token');

  // 50 couple cases through the API: two new clients each, a secrets policy (half signed by nobody yet: the
  // flag varies), every fifth case active, every tenth on safety hold.
  for (let index = 0; index < CASES; index += 1) {
    const clients = [];
    for (const partner of ['A', 'B']) {
      const client = await request(
        baseUrl,
        'POST',
        '/clients',
        { displayName: `Bench Partner ${partner}${index}`, timezone: 'Europe/London', reminderTime: '19:00' },
        token,
      );
      clients.push(client.id);
    }
    const created = await request(
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
    if (index % 5 === 0) await request(baseUrl, 'POST', `/cases/${created.id}/status`, { status: 'active' }, token);
    if (index % 10 === 0) {
      await request(
        baseUrl,
        'PUT',
        `/cases/${created.id}/safety`,
        { status: 'safety_hold', reason: 'Synthetic bench reason' },
        token,
      );
    }
  }
  const page = await request(baseUrl, 'GET', `/cases?limit=${CASES}`, undefined, token);
  if (page.items?.length !== CASES) throw new Error(`the caseload lists ${page.items?.length} cases, not ${CASES}`);
  return token;
}
