import { createMemoryLoginThrottle, type LoginThrottleService } from './login-throttle.js';
import { MemorySlidingWindow } from './sliding-window.js';
import { hashEmailForThrottle, throttleClientKey } from './throttle-keys.js';

const account = hashEmailForThrottle('Counselor@Example.test');
const IP = '198.51.100.7';

/** One login attempt as the login flow makes it: check, then (when allowed) a failed password. */
async function failedAttempt(throttle: LoginThrottleService, ip = IP, email = account): Promise<boolean> {
  const decision = await throttle.check(email, ip);
  if (decision.allowed) await throttle.recordFailure(email, ip);
  return decision.allowed;
}

async function countAllowed(throttle: LoginThrottleService, attempts: number, ip = IP): Promise<number> {
  let allowed = 0;
  for (let attempt = 0; attempt < attempts; attempt += 1) if (await failedAttempt(throttle, ip)) allowed += 1;
  return allowed;
}

describe('LoginThrottleService (memory store, fake clock)', () => {
  let throttle: LoginThrottleService;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2027-03-01T09:00:00Z') });
    throttle = createMemoryLoginThrottle('unit');
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('blocks an account + client after 10 consecutive failures', async () => {
    expect(await countAllowed(throttle, 10)).toBe(10);
    const decision = await throttle.check(account, IP);
    expect(decision).toEqual({ allowed: false, retryAfterSeconds: 30, reason: 'account_ip_blocked' });
  });

  it('makes each further block longer: 30 s, 60 s, 120 s, … up to an hour', async () => {
    await countAllowed(throttle, 10);
    const blocks: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      const refused = await throttle.check(account, IP);
      expect(refused.allowed).toBe(false);
      blocks.push(refused.retryAfterSeconds ?? 0);
      // Just before the block ends: still refused; at its end, exactly one attempt.
      jest.advanceTimersByTime((refused.retryAfterSeconds ?? 0) * 1000 - 1);
      expect((await throttle.check(account, IP)).allowed).toBe(false);
      jest.advanceTimersByTime(1);
      expect(await failedAttempt(throttle)).toBe(true);
    }
    expect(blocks).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('refused attempts do not lengthen the block', async () => {
    await countAllowed(throttle, 10);
    for (let attempt = 0; attempt < 50; attempt += 1) await failedAttempt(throttle);
    jest.advanceTimersByTime(30_000);
    expect(await failedAttempt(throttle)).toBe(true);
    expect((await throttle.check(account, IP)).retryAfterSeconds).toBe(60);
  });

  it('a success resets the consecutive count', async () => {
    expect(await countAllowed(throttle, 9)).toBe(9);
    expect((await throttle.check(account, IP)).allowed).toBe(true);
    await throttle.recordSuccess(account, IP);
    expect(await countAllowed(throttle, 10)).toBe(10);
    expect((await throttle.check(account, IP)).allowed).toBe(false);
  });

  it('a success during the last free attempt lifts the block it started', async () => {
    await countAllowed(throttle, 9);
    expect((await throttle.check(account, IP)).allowed).toBe(true);
    await throttle.recordSuccess(account, IP);
    expect((await throttle.check(account, IP)).allowed).toBe(true);
  });

  it('blocks only that account from that client', async () => {
    await countAllowed(throttle, 10);
    expect((await throttle.check(account, '203.0.113.9')).allowed).toBe(true);
    expect((await throttle.check(hashEmailForThrottle('someone.else@example.test'), IP)).allowed).toBe(true);
  });

  it('treats an IPv6 /64 as one client', async () => {
    expect(await countAllowed(throttle, 10, '2001:db8:1:2::1')).toBe(10);
    expect((await throttle.check(account, '2001:db8:1:2:ffff::9')).allowed).toBe(false);
    expect((await throttle.check(account, '2001:db8:1:3::1')).allowed).toBe(true);
  });

  it('caps an account at 100 failed attempts in any hour, whatever the client', async () => {
    let allowed = 0;
    for (let client = 0; client < 50; client += 1) {
      allowed += await countAllowed(throttle, 20, `10.0.${client}.1`);
    }
    expect(allowed).toBe(100);
    const refused = await throttle.check(account, '192.0.2.200');
    expect(refused).toMatchObject({ allowed: false, reason: 'account_hourly_cap' });
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it('the hourly cap slides: no 2× burst across a window boundary', async () => {
    // 60 failures spread over the first 50 minutes, then 40 at minute 59.
    for (let client = 0; client < 6; client += 1) {
      if (client > 0) jest.advanceTimersByTime(10 * 60_000);
      expect(await countAllowed(throttle, 10, `10.1.${client}.1`)).toBe(10);
    }
    jest.advanceTimersByTime(9 * 60_000); // minute 59: 100 in the last hour
    for (let client = 6; client < 10; client += 1)
      expect(await countAllowed(throttle, 10, `10.1.${client}.1`)).toBe(10);
    // Two minutes later only the failures older than an hour (the first 10) have left the window.
    jest.advanceTimersByTime(2 * 60_000);
    let allowed = 0;
    for (let client = 10; client < 20; client += 1) allowed += await countAllowed(throttle, 10, `10.1.${client}.1`);
    expect(allowed).toBe(10);
  });

  it('answers concurrent attempts as if they came one by one (no burst past the limit)', async () => {
    const decisions = await Promise.all(Array.from({ length: 50 }, () => throttle.check(account, IP)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });

  it('refuses a raw email where a hash belongs', async () => {
    await expect(throttle.check('counselor@example.test', IP)).rejects.toThrow(/hash of the email/);
  });
});

describe('MemorySlidingWindow', () => {
  it('releases the newest event with the given tag only', async () => {
    let now = 0;
    const window = new MemorySlidingWindow(() => now);
    expect((await window.reserve('k', 2, 1_000, 'a')).allowed).toBe(true);
    now = 500;
    expect((await window.reserve('k', 2, 1_000, 'b')).allowed).toBe(true);
    expect(await window.reserve('k', 2, 1_000, 'c')).toEqual({ allowed: false, retryAfterMs: 500 });
    await window.release('k', 'b');
    expect((await window.reserve('k', 2, 1_000, 'c')).allowed).toBe(true);
    expect(await window.reserve('k', 2, 1_000, 'd')).toEqual({ allowed: false, retryAfterMs: 500 });
    now = 1_000;
    expect((await window.reserve('k', 2, 1_000, 'd')).allowed).toBe(true);
  });
});

describe('throttle keys', () => {
  it('hashes the trimmed, lower-cased email', () => {
    expect(hashEmailForThrottle('  Counselor@Example.TEST ')).toBe(hashEmailForThrottle('counselor@example.test'));
    expect(hashEmailForThrottle('counselor@example.test')).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0DB8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
  ])('keys %s as %s', (ip, key) => {
    expect(throttleClientKey(ip)).toBe(key);
  });

  it('keys a non-address by a bounded hash', () => {
    expect(throttleClientKey('unknown'.repeat(100))).toMatch(/^other-[0-9a-f]{16}$/);
  });
});
