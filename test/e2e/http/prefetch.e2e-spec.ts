import { setTimeout as sleep } from 'node:timers/promises';

import { LOGIN_SESSION_CACHE_MAX_AGE_MS, ManualClock } from '@mend/identity';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';
import { call } from '../cases/support/http.js';

/**
 * The hot read routes (`@Prefetch`): their reads travel with BEGIN, the settings
 * and the login session check, so a request costs one round trip (me, the
 * client's "today") or two (the caseload: its audit row goes with the COMMIT).
 * A session this process checked less than LOGIN_SESSION_CACHE_MAX_AGE_MS ago
 * is not checked again (LoginSessionCache): the same message without the check.
 * Counted at the pg driver, as the caseload's N+1 test counts; the one-off
 * `PREPARE` of a statement on a new pooled connection is left out.
 */
describe('prefetched hot read routes: round trips per request', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  async function messagesOf(
    method: 'GET',
    url: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: unknown; messages: string[] }> {
    const { default: pg } = await import('pg');
    const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    const messages: string[] = [];
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const [first] = args;
      messages.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
      return original.apply(this, args);
    };
    try {
      const response = await call(api, method, url, headers);
      return {
        status: response.statusCode,
        body: response.json<unknown>(),
        messages: messages.filter((text) => !text.startsWith('PREPARE ')),
      };
    } finally {
      prototype.query = original;
    }
  }

  /** Past the cache's age: this process checks the session in the database again. */
  const sessionCheckDue = () => sleep(LOGIN_SESSION_CACHE_MAX_AGE_MS + 50);

  it('GET /me: one message, which also commits; the same answer as before', async () => {
    const first = await messagesOf('GET', '/me', world.partnerA.headers);
    await sessionCheckDue();
    const checked = await messagesOf('GET', '/me', world.partnerA.headers);
    const { status, body, messages } = await messagesOf('GET', '/me', world.partnerA.headers);
    expect([checked.status, status]).toEqual([200, 200]);
    expect(checked.body).toEqual(first.body);
    expect(body).toEqual(first.body);
    expect(body).toMatchObject({ clinicId: world.clinicId, roles: ['client'] });
    expect(checked.messages).toHaveLength(1);
    // A read-only route's message is PostgreSQL's implicit transaction: no BEGIN or COMMIT of its own.
    expect(checked.messages[0]).toMatch(
      /^SET LOCAL .*EXECUTE mend_sql_login_session_check\(.*\); EXECUTE mend_sql_profile_describe\(.*\)$/,
    );
    // Checked a moment ago: the settings (row-level security) and the read, without the check.
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^SET LOCAL app\.clinic_id = '[0-9a-f-]{36}'; SET LOCAL app\.user_id = '[0-9a-f-]{36}'; EXECUTE mend_sql_profile_describe\(.*\)$/,
    );
  });

  it('GET /cases?limit=50: the page with the opening, its audit row with the COMMIT', async () => {
    await messagesOf('GET', '/cases?limit=50', world.counselor.headers);
    await sessionCheckDue();
    const { status, body, messages } = await messagesOf('GET', '/cases?limit=50', world.counselor.headers);
    expect(status).toBe(200);
    expect((body as { items: { id: string }[] }).items.map((item) => item.id)).toContain(world.caseId);
    expect(messages).toHaveLength(2);
    // The page runs its generic plan (PreparedStatement.plan), set around it and nothing else.
    expect(messages[0]).toMatch(
      /^BEGIN; .*EXECUTE mend_sql_login_session_check\(.*\); SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE mend_sql_case_page_[0-9a-f]+\(.*\); SET LOCAL plan_cache_mode TO DEFAULT$/,
    );
    expect(messages[1]).toMatch(/^EXECUTE mend_sql_audit_event_insert\(.*'case\.list'.*\); COMMIT$/);
    const again = await messagesOf('GET', '/cases?limit=50', world.counselor.headers);
    expect(again.body).toEqual(body);
    expect(again.messages).toHaveLength(2);
    expect(again.messages[0]).not.toMatch(/login_session_check/);
    expect(again.messages[0]).toMatch(/^BEGIN; SET LOCAL app\.clinic_id = .*; EXECUTE mend_sql_case_page_[0-9a-f]+\(/);
  });

  it('GET /cases with filters: not prefetched, answered by the handler as before', async () => {
    const { status, messages } = await messagesOf('GET', '/cases?limit=50&status=intake', world.counselor.headers);
    expect(status).toBe(200);
    expect(messages[0]).not.toMatch(/case_page/);
    const page = messages.findIndex((text) => text.includes('k.status = any('));
    expect(page).toBeGreaterThan(0);
    // Its generic plan too: the setting on just before the page and off just after it.
    expect(messages.slice(page - 1, page + 2).map((text) => (text.startsWith('SET LOCAL') ? text : 'page'))).toEqual([
      'SET LOCAL plan_cache_mode = force_generic_plan',
      'page',
      'SET LOCAL plan_cache_mode TO DEFAULT',
    ]);
  });

  it('GET /me/assignments: one message, which also commits, though the clock moves on while the request runs', async () => {
    // Every reading of the clock a millisecond later than the one before: as in production, the clock has
    // moved on by the time the handler runs, and it must read for the instant its prefetch was built for.
    const { clock } = api;
    const read = ManualClock.prototype.now;
    clock.now = function (this: ManualClock) {
      const now = read.call(this);
      this.advance(1);
      return now;
    };
    try {
      await messagesOf('GET', '/me/assignments', world.partnerA.headers);
      const { status, body, messages } = await messagesOf('GET', '/me/assignments', world.partnerA.headers);
      expect(status).toBe(200);
      expect(body).toEqual({ occurrences: [] });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^SET LOCAL .*; EXECUTE mend_sql_my_open_occurrences\([^;]*\)$/);
    } finally {
      delete (clock as { now?: unknown }).now;
    }
  });

  it('a revoked login session is still refused (401), prefetch or not, though this process had just checked it', async () => {
    const sessions = await call(api, 'GET', '/auth/sessions', world.partnerB.headers);
    expect(sessions.statusCode).toBe(200);
    const me = await messagesOf('GET', '/me', world.partnerB.headers);
    expect(me.status).toBe(200);
    expect(me.messages[0]).not.toMatch(/login_session_check/); // answered from the cache
    const logout = await call(api, 'POST', '/auth/logout', world.partnerB.headers, {});
    expect([200, 204]).toContain(logout.statusCode);
    for (const url of ['/me', '/me/assignments']) {
      const response = await call(api, 'GET', url, world.partnerB.headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
