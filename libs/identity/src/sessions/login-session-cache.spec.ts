import { randomUUID } from 'node:crypto';

import type { VerifiedAccessToken } from '../tokens/token.service.js';
import { LoginSessionCache, type CheckedLoginSession } from './login-session-cache.js';
import { LAST_SEEN_GRANULARITY_MS, LOGIN_SESSION_CACHE_MAX_AGE_MS } from './session-limits.js';

const NOW = new Date('2026-11-28T12:00:00.000Z');

function token(overrides: Partial<VerifiedAccessToken> = {}): VerifiedAccessToken {
  return {
    userId: randomUUID(),
    clinicId: randomUUID(),
    membershipId: randomUUID(),
    loginSessionId: randomUUID(),
    roles: ['counselor'],
    amr: ['pwd', 'otp'],
    expiresAt: new Date(NOW.getTime() + 600_000),
    ...overrides,
  };
}

function checked(overrides: Partial<CheckedLoginSession> = {}): CheckedLoginSession {
  return {
    roles: ['counselor', 'supervisor'],
    lastSeenAt: new Date(NOW.getTime() - 1_000),
    idleExpiresAt: new Date(NOW.getTime() + 14 * 60_000),
    absoluteExpiresAt: new Date(NOW.getTime() + 11 * 3_600_000),
    ...overrides,
  };
}

describe('LoginSessionCache', () => {
  let monotonic: number;
  let cache: LoginSessionCache;

  beforeEach(() => {
    monotonic = 1_000;
    cache = new LoginSessionCache(LOGIN_SESSION_CACHE_MAX_AGE_MS, () => monotonic, 4);
  });

  it('answers with the roles the database check found, for less than the maximum age only', () => {
    const session = token();
    expect(cache.lookup(session, NOW)).toBeUndefined();
    cache.remember(session, checked(), cache.generation);
    expect(cache.lookup(session, NOW)).toEqual(['counselor', 'supervisor']);
    monotonic += LOGIN_SESSION_CACHE_MAX_AGE_MS - 1;
    expect(cache.lookup(session, NOW)).toEqual(['counselor', 'supervisor']);
    monotonic += 1;
    expect(cache.lookup(session, NOW)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds the maximum age well inside the second of reliability.md AUTH-5', () => {
    expect(LOGIN_SESSION_CACHE_MAX_AGE_MS).toBeGreaterThan(0);
    expect(LOGIN_SESSION_CACHE_MAX_AGE_MS).toBeLessThanOrEqual(500);
  });

  it('answers only a token of the same clinic, user and membership as the check', () => {
    const session = token();
    cache.remember(session, checked(), cache.generation);
    expect(cache.lookup({ ...session, userId: randomUUID() }, NOW)).toBeUndefined();
    expect(cache.lookup({ ...session, clinicId: randomUUID() }, NOW)).toBeUndefined();
    expect(cache.lookup({ ...session, membershipId: randomUUID() }, NOW)).toBeUndefined();
    expect(cache.lookup(token(), NOW)).toBeUndefined();
    expect(cache.lookup(session, NOW)).toEqual(['counselor', 'supervisor']);
  });

  it('does not answer once the session passed its idle or absolute limit at the request time', () => {
    const idle = token();
    cache.remember(idle, checked({ idleExpiresAt: new Date(NOW.getTime() + 10) }), cache.generation);
    expect(cache.lookup(idle, NOW)).toEqual(['counselor', 'supervisor']);
    expect(cache.lookup(idle, new Date(NOW.getTime() + 10))).toBeUndefined();

    const absolute = token();
    cache.remember(absolute, checked({ absoluteExpiresAt: new Date(NOW.getTime() + 10) }), cache.generation);
    expect(cache.lookup(absolute, new Date(NOW.getTime() + 9))).toEqual(['counselor', 'supervisor']);
    expect(cache.lookup(absolute, new Date(NOW.getTime() + 10))).toBeUndefined();
  });

  it('sends the request to the database when last_seen_at is due for its write', () => {
    const session = token();
    cache.remember(session, checked({ lastSeenAt: new Date(NOW.getTime() - LAST_SEEN_GRANULARITY_MS + 1) }), 0);
    expect(cache.lookup(session, NOW)).toEqual(['counselor', 'supervisor']);
    expect(cache.lookup(session, new Date(NOW.getTime() + 1))).toBeUndefined();
  });

  it('forgets everything when cleared, and refuses a check that began before the clearing', () => {
    const [one, two] = [token(), token()];
    cache.remember(one, checked(), cache.generation);
    const inFlight = cache.generation; // a check sent to the database now…
    cache.remember(two, checked(), inFlight);
    cache.forgetAll(); // …while a revocation commits
    expect(cache.lookup(one, NOW)).toBeUndefined();
    expect(cache.lookup(two, NOW)).toBeUndefined();
    cache.remember(two, checked(), inFlight); // its answer arrives after the commit: not kept
    expect(cache.lookup(two, NOW)).toBeUndefined();
    cache.remember(two, checked(), cache.generation); // a check begun after the commit is kept
    expect(cache.lookup(two, NOW)).toEqual(['counselor', 'supervisor']);
  });

  it('stays within its size: stale entries go first, and if all are fresh, all of them', () => {
    const sessions = [token(), token(), token(), token()];
    cache.remember(sessions[0], checked(), cache.generation);
    cache.remember(sessions[1], checked(), cache.generation);
    monotonic += LOGIN_SESSION_CACHE_MAX_AGE_MS;
    cache.remember(sessions[2], checked(), cache.generation);
    cache.remember(sessions[3], checked(), cache.generation);
    expect(cache.size).toBe(4);
    const fifth = token();
    cache.remember(fifth, checked(), cache.generation); // full: the two stale ones are dropped
    expect(cache.size).toBe(3);
    expect(cache.lookup(sessions[2], NOW)).toEqual(['counselor', 'supervisor']);
    const [sixth, seventh] = [token(), token()];
    cache.remember(sixth, checked(), cache.generation);
    cache.remember(seventh, checked(), cache.generation); // full of fresh entries: cleared, then kept
    expect(cache.size).toBe(1);
    expect(cache.lookup(seventh, NOW)).toEqual(['counselor', 'supervisor']);
  });
});
