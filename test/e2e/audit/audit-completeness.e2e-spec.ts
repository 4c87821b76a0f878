import { randomUUID } from 'node:crypto';

import type { LightMyRequestResponse } from 'fastify';

import { connectAs } from '@mend/testing';

import {
  bearer,
  createClinicWithAdmin,
  GOOD_CODE,
  startIdentityApp,
  type IdentityApp,
  type Member,
} from '../auth/support/identity-app.js';

/**
 * Audit completeness: a scripted run of real requests as several actors,
 * logged with each answer's X-Request-Id, compared with the audit trail.
 * Every successful change and every successful read of a protected record has
 * an audit row with its correlation id; every refusal (403, or 404 on a record
 * of another clinic) has a denial row; and no audit or security-log row of the
 * run carries a password, name or email used in it.
 */

interface LoggedRequest {
  readonly correlationId: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly authenticated: boolean;
}

interface Session {
  accessToken: string;
  refreshToken: string;
  loginSessionId: string;
}

/** POSTs that change nothing by design, and why (they are still logged and counted). */
const CHANGES_NOTHING: Record<string, string> = {
  // Same answer whether or not the email exists; no email delivery yet, so nothing is written.
  'POST /auth/forgot-password': 'no state: answers the same for every email',
};

/** Reads that are not of a protected record, and why. */
const NOT_A_RECORD_READ: Record<string, string> = {
  // The caller's own name, email and clinic: no clinical content, and the web app reads it on every page.
  'GET /me': "the caller's own profile",
};

const DENIAL_ACTIONS = ['access.denied', 'authz.denied'];

describe('audit completeness over an e2e run', () => {
  let api: IdentityApp;
  const log: LoggedRequest[] = [];
  // Canaries: strings that must never reach the trail. "Cnry" has non-hex letters,
  // so no uuid, hash or correlation id can contain one by chance.
  const canary = `Cnry${randomUUID().slice(0, 8)}`;
  const canaries: string[] = [];
  const secret = (label: string): string => {
    const value = `${canary}-${label}-${randomUUID().slice(0, 6)}`;
    canaries.push(value);
    return value;
  };
  const runStartedAt = new Date();
  let clinicIds: string[] = [];

  beforeAll(async () => {
    api = await startIdentityApp();
  });
  afterAll(() => api.close());

  async function call(
    route: string,
    options: {
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
      url: string;
      token?: string;
      body?: unknown;
    },
    expectedStatus: number,
  ): Promise<LightMyRequestResponse> {
    const response = await api.inject({
      method: options.method,
      url: `/api/v1${options.url}`,
      headers: {
        ...(options.token !== undefined && bearer(options.token)),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(options.body !== undefined && { payload: JSON.stringify(options.body) }),
    });
    const correlationId = response.headers['x-request-id'];
    if (typeof correlationId !== 'string') throw new Error(`${route} answered without X-Request-Id`);
    log.push({
      correlationId,
      method: options.method,
      route: `${options.method} ${route}`,
      status: response.statusCode,
      authenticated: options.token !== undefined,
    });
    if (response.statusCode !== expectedStatus) {
      throw new Error(
        `${options.method} ${options.url}: expected ${expectedStatus}, got ${response.statusCode}: ${response.body}`,
      );
    }
    return response;
  }

  /** Password, then (staff) the second factor: both requests logged. */
  async function signIn(email: string, password: string): Promise<Session> {
    const first = await call('/auth/login', { method: 'POST', url: '/auth/login', body: { email, password } }, 200);
    let body = first.json<Record<string, unknown>>();
    if (body.mfaRequired === true) {
      const second = await call(
        '/auth/mfa/verify',
        { method: 'POST', url: '/auth/mfa/verify', body: { mfaToken: body.mfaToken, code: GOOD_CODE } },
        200,
      );
      body = second.json<Record<string, unknown>>();
    }
    return body as unknown as Session;
  }

  function tokenOf(link: string): string {
    const token = new URL(link).searchParams.get('token');
    if (token === null) throw new Error('link without a token');
    return token;
  }

  async function inviteAndAccept(
    admin: Session,
    roles: string[],
    label: string,
  ): Promise<{ email: string; password: string; membershipId: string; userId: string }> {
    const email = `${secret(label).toLowerCase()}@test.mend.example`;
    const invited = await call(
      '/users',
      { method: 'POST', url: '/users', token: admin.accessToken, body: { email, roles } },
      201,
    );
    const password = secret(`${label}-pw`);
    const accepted = await call(
      '/invitations/accept',
      {
        method: 'POST',
        url: '/invitations/accept',
        body: { token: tokenOf(invited.json<{ link: string }>().link), password, displayName: secret(`${label}-name`) },
      },
      201,
    );
    const ids = accepted.json<{ membershipId: string; userId: string }>();
    return { email, password, ...ids };
  }

  it('records every change, read and refusal of the run, and no canary', async () => {
    const adminA: Member = await createClinicWithAdmin(api.identity, 'Completeness Clinic A');
    const adminB: Member = await createClinicWithAdmin(api.identity, 'Completeness Clinic B');
    clinicIds = [adminA.clinicId, adminB.clinicId];

    // --- Clinic admins sign in; settings.
    const a = await signIn(adminA.email, adminA.password);
    const b = await signIn(adminB.email, adminB.password);
    await call('/me', { method: 'GET', url: '/me', token: a.accessToken }, 200);
    await call('/clinic', { method: 'GET', url: '/clinic', token: a.accessToken }, 200);
    await call(
      '/clinic',
      { method: 'PATCH', url: '/clinic', token: a.accessToken, body: { name: secret('clinic') } },
      200,
    );

    // --- Invitations: staff and a client accept; one is withdrawn, one stays pending.
    const counselor = await inviteAndAccept(a, ['counselor'], 'counselor');
    const supervisor = await inviteAndAccept(a, ['supervisor'], 'supervisor');
    const client = await inviteAndAccept(a, ['client'], 'client');
    const withdrawn = (
      await call(
        '/users',
        {
          method: 'POST',
          url: '/users',
          token: a.accessToken,
          body: { email: `${secret('withdrawn')}@test.mend.example`, roles: ['counselor'] },
        },
        201,
      )
    ).json<{ invitationId: string; link: string }>();
    const pending = (
      await call(
        '/users',
        {
          method: 'POST',
          url: '/users',
          token: a.accessToken,
          body: { email: `${secret('pending')}@test.mend.example`, roles: ['client'] },
        },
        201,
      )
    ).json<{ invitationId: string }>();
    await call('/invitations', { method: 'GET', url: '/invitations', token: a.accessToken }, 200);
    await call(
      '/invitations/:id',
      { method: 'DELETE', url: `/invitations/${withdrawn.invitationId}`, token: a.accessToken },
      204,
    );
    // A withdrawn link no longer works (a failed public request).
    await call(
      '/invitations/accept',
      {
        method: 'POST',
        url: '/invitations/accept',
        body: { token: tokenOf(withdrawn.link), password: secret('late-pw') },
      },
      400,
    );

    // --- Members sign in: staff with the second factor, the client without.
    const c1 = await signIn(counselor.email, counselor.password);
    const s1 = await signIn(supervisor.email, supervisor.password);
    const cl = await signIn(client.email, client.password);
    await call('/me', { method: 'GET', url: '/me', token: cl.accessToken }, 200);
    const refreshed = (
      await call(
        '/auth/refresh',
        { method: 'POST', url: '/auth/refresh', body: { refreshToken: cl.refreshToken } },
        200,
      )
    ).json<Session>();
    await call('/me', { method: 'GET', url: '/me', token: refreshed.accessToken }, 200);
    await call('/clinic', { method: 'GET', url: '/clinic', token: s1.accessToken }, 200);

    // --- Login sessions: list, and end one from another device.
    const c2 = await signIn(counselor.email, counselor.password);
    await call('/auth/sessions', { method: 'GET', url: '/auth/sessions', token: c2.accessToken }, 200);
    await call(
      '/auth/sessions/:id',
      { method: 'DELETE', url: `/auth/sessions/${c1.loginSessionId}`, token: c2.accessToken },
      204,
    );
    await call('/me', { method: 'GET', url: '/me', token: c1.accessToken }, 401);

    // --- Password change (wrong current password first), forgot-password.
    await call(
      '/auth/password',
      {
        method: 'POST',
        url: '/auth/password',
        token: c2.accessToken,
        body: { currentPassword: secret('wrong'), newPassword: secret('never-pw') },
      },
      422,
    );
    const counselorNewPassword = secret('counselor-new-pw');
    await call(
      '/auth/password',
      {
        method: 'POST',
        url: '/auth/password',
        token: c2.accessToken,
        body: { currentPassword: counselor.password, newPassword: counselorNewPassword },
      },
      204,
    );
    await call(
      '/auth/forgot-password',
      { method: 'POST', url: '/auth/forgot-password', body: { email: counselor.email } },
      202,
    );

    // --- Failed sign-ins: a wrong password, an unknown email.
    await call(
      '/auth/login',
      { method: 'POST', url: '/auth/login', body: { email: counselor.email, password: secret('bad-pw') } },
      401,
    );
    await call(
      '/auth/login',
      {
        method: 'POST',
        url: '/auth/login',
        body: { email: `${secret('nobody')}@test.mend.example`, password: secret('nobody-pw') },
      },
      401,
    );

    // --- Membership changes by the admin.
    await call(
      '/users/:id/supervisors/:supervisorId',
      {
        method: 'PUT',
        url: `/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`,
        token: a.accessToken,
      },
      204,
    );
    await call(
      '/users/:id/supervisors/:supervisorId',
      {
        method: 'DELETE',
        url: `/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`,
        token: a.accessToken,
      },
      204,
    );
    await call(
      '/users/:id',
      {
        method: 'PATCH',
        url: `/users/${supervisor.membershipId}`,
        token: a.accessToken,
        body: { roles: ['supervisor', 'counselor'] },
      },
      200,
    );
    const reset = (
      await call(
        '/users/:id/password-reset-link',
        { method: 'POST', url: `/users/${client.membershipId}/password-reset-link`, token: a.accessToken },
        201,
      )
    ).json<{ link: string }>();
    await call(
      '/auth/password-reset',
      {
        method: 'POST',
        url: '/auth/password-reset',
        body: { token: tokenOf(reset.link), newPassword: secret('client-reset-pw') },
      },
      204,
    );
    await call('/users', { method: 'GET', url: '/users', token: a.accessToken }, 200);

    // --- Refusals: forbidden actions in clinic A, and clinic A's records named from clinic B.
    const c3 = await signIn(counselor.email, counselorNewPassword);
    await call('/audit-events', { method: 'GET', url: '/audit-events', token: c3.accessToken }, 403);
    await call(
      '/clinic',
      { method: 'PATCH', url: '/clinic', token: c3.accessToken, body: { name: secret('hijack') } },
      403,
    );
    await call('/users', { method: 'GET', url: '/users', token: c3.accessToken }, 403);
    await call(
      '/users/:id',
      { method: 'PATCH', url: `/users/${counselor.membershipId}`, token: b.accessToken, body: { status: 'disabled' } },
      404,
    );
    await call(
      '/invitations/:id',
      { method: 'DELETE', url: `/invitations/${pending.invitationId}`, token: b.accessToken },
      404,
    );
    await call(
      '/auth/sessions/:id',
      { method: 'DELETE', url: `/auth/sessions/${c3.loginSessionId}`, token: b.accessToken },
      404,
    );
    await call(
      '/users/:id/supervisors/:supervisorId',
      {
        method: 'PUT',
        url: `/users/${counselor.membershipId}/supervisors/${supervisor.membershipId}`,
        token: b.accessToken,
      },
      404,
    );
    await call(
      '/users/:id/password-reset-link',
      { method: 'POST', url: `/users/${client.membershipId}/password-reset-link`, token: b.accessToken },
      404,
    );

    // --- The trail itself; a bad filter; disabling a member; signing out.
    await call(
      '/audit-events',
      { method: 'GET', url: '/audit-events?action=auth.*&limit=200', token: a.accessToken },
      200,
    );
    await call(
      '/audit-events',
      { method: 'GET', url: `/audit-events?actorUserId=${counselor.userId}`, token: a.accessToken },
      200,
    );
    await call('/audit-events', { method: 'GET', url: '/audit-events?limit=0', token: a.accessToken }, 400);
    await call(
      '/users/:id',
      { method: 'PATCH', url: `/users/${client.membershipId}`, token: a.accessToken, body: { status: 'disabled' } },
      200,
    );
    await call('/auth/logout', { method: 'POST', url: '/auth/logout', body: { refreshToken: c3.refreshToken } }, 204);
    await call('/auth/logout', { method: 'POST', url: '/auth/logout', body: { refreshToken: b.refreshToken } }, 204);
    await call('/me', { method: 'GET', url: '/me', token: b.accessToken }, 401);

    // --- Compare the request log with the trail.
    const db = await connectAs('admin');
    try {
      const audit = await db.query<{ correlation_id: string | null; action: string; outcome: string; row: string }>(
        `select correlation_id, action, outcome, row_to_json(a)::text as row
           from audit_events a where clinic_id = any($1::uuid[])`,
        [clinicIds],
      );
      const securityLog = await db.query<{ correlation_id: string | null; event: string; row: string }>(
        `select correlation_id, event, row_to_json(s)::text as row from security_log s where occurred_at >= $1`,
        [runStartedAt.toISOString()],
      );
      const actionsByCorrelation = new Map<string, string[]>();
      for (const row of audit.rows) {
        if (row.correlation_id === null) continue;
        actionsByCorrelation.set(row.correlation_id, [
          ...(actionsByCorrelation.get(row.correlation_id) ?? []),
          row.action,
        ]);
      }
      const securityCorrelations = new Set(securityLog.rows.map((row) => row.correlation_id));

      const missing: string[] = [];
      let mustBeAudited = 0;
      let audited = 0;
      for (const request of log) {
        const actions = actionsByCorrelation.get(request.correlationId) ?? [];
        const ok = request.status >= 200 && request.status < 300;
        let required: ((actions: string[]) => boolean) | null = null;
        if (ok && request.method !== 'GET' && CHANGES_NOTHING[request.route] === undefined) {
          required = (found) => found.length > 0; // a change
        } else if (ok && request.method === 'GET' && NOT_A_RECORD_READ[request.route] === undefined) {
          required = (found) => found.length > 0; // a read of a protected record
        } else if (request.authenticated && (request.status === 403 || request.status === 404)) {
          required = (found) => found.some((action) => DENIAL_ACTIONS.includes(action));
        } else if (request.route === 'POST /auth/login' && request.status === 401) {
          // A failed sign-in: the clinic's trail (known email) or the security log (unknown email).
          required = (found) => found.length > 0 || securityCorrelations.has(request.correlationId);
        }
        if (required === null) continue;
        mustBeAudited += 1;
        if (required(actions)) audited += 1;
        else
          missing.push(
            `${request.route} → ${request.status} (${request.correlationId}): ${actions.join(',') || 'no row'}`,
          );
      }

      const leaks = [...audit.rows.map((row) => row.row), ...securityLog.rows.map((row) => row.row)].filter((text) =>
        canaries.some((value) => text.toLowerCase().includes(value.toLowerCase())),
      );
      const anyCanary = [...audit.rows, ...securityLog.rows].filter((row) =>
        row.row.toLowerCase().includes(canary.toLowerCase()),
      );

      console.log(
        `audit completeness: ${log.length} requests, ${mustBeAudited} must be audited, ${audited} audited, ` +
          `${missing.length} missing; ${audit.rows.length} audit rows and ${securityLog.rows.length} security-log rows ` +
          `scanned for ${canaries.length} canaries: ${leaks.length + anyCanary.length} hits`,
      );
      expect(missing).toEqual([]);
      expect(leaks).toEqual([]);
      expect(anyCanary).toEqual([]);
      // The run did what it claims: changes, reads, refusals and failures all happened.
      expect(log.length).toBeGreaterThanOrEqual(60);
      expect(log.filter((request) => request.status === 403).length).toBeGreaterThanOrEqual(3);
      expect(log.filter((request) => request.status === 404).length).toBeGreaterThanOrEqual(5);
      expect(mustBeAudited).toBeGreaterThanOrEqual(45);
    } finally {
      await db.end();
    }
  });
});
