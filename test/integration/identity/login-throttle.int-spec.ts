import type { Redis } from 'ioredis';

import { createRedisClient, type MendConfig } from '@mend/core';
import {
  createRedisLoginThrottle,
  DEFAULT_LOGIN_THROTTLE_POLICY,
  hashEmailForThrottle,
  type LoginThrottle,
  RedisSlidingWindow,
} from '@mend/identity';
import { testConfig } from '@mend/testing';

/**
 * AUTH-2 against a real Redis, with two throttles on two Redis connections
 * standing for two API instances.
 */
describe('login throttle in Redis, two API instances', () => {
  let config: MendConfig;
  let redisA: Redis;
  let redisB: Redis;
  let a: LoginThrottle;
  let b: LoginThrottle;
  let accounts = 0;

  /** A fresh synthetic account for each test, so tests do not share counters. */
  const newAccount = (): { email: string; hash: string } => {
    accounts += 1;
    const email = `Throttle.Target${accounts}@Example.test`;
    return { email, hash: hashEmailForThrottle(email) };
  };

  /** A password verification the login flow would run; counted to prove blocked attempts never reach it. */
  let passwordVerifications = 0;

  async function failedLogin(throttle: LoginThrottle, emailHash: string, ip: string): Promise<boolean> {
    const decision = await throttle.check(emailHash, ip);
    if (!decision.allowed) return false;
    passwordVerifications += 1;
    await throttle.recordFailure(emailHash, ip);
    return true;
  }

  beforeAll(() => {
    config = testConfig();
    redisA = createRedisClient(config.redis.url);
    redisB = createRedisClient(config.redis.url);
    a = createRedisLoginThrottle(redisA, config.queue.prefix);
    b = createRedisLoginThrottle(redisB, config.queue.prefix);
  });

  afterAll(() => {
    redisA.disconnect();
    redisB.disconnect();
  });

  beforeEach(() => {
    passwordVerifications = 0;
  });

  it('1,000 failed attempts on one account from 50 IPs allow at most 100 password verifications', async () => {
    const { hash } = newAccount();
    const ips = Array.from({ length: 50 }, (_, index) => `203.0.113.${index + 1}`);
    let allowed = 0;
    let attempts = 0;
    // Each IP is an attacker thread; all 50 run at once, spread over both instances.
    await Promise.all(
      ips.map(async (ip, index) => {
        for (let attempt = 0; attempt < 20; attempt += 1) {
          attempts += 1;
          if (await failedLogin((index + attempt) % 2 === 0 ? a : b, hash, ip)) allowed += 1;
        }
      }),
    );
    process.stdout.write(
      `Login throttle: ${attempts} attempts from ${ips.length} IPs -> ${allowed} allowed, ${passwordVerifications} password verifications\n`,
    );
    expect(attempts).toBe(1_000);
    expect(allowed).toBeLessThanOrEqual(100);
    expect(passwordVerifications).toBe(allowed);
    // Nothing else limited them: each IP had 10 free attempts (500 > 100), so the hourly cap is what held.
    expect(allowed).toBe(100);
    const refused = await a.check(hash, '198.51.100.250');
    expect(refused).toMatchObject({ allowed: false, reason: 'account_hourly_cap' });
  });

  it('blocks an account + IP after 10 consecutive failures, whichever instance sees them', async () => {
    const { hash } = newAccount();
    const ip = '198.51.100.10';
    let beforeBlock = 0;
    for (let attempt = 0; attempt < 25; attempt += 1) {
      if (!(await failedLogin(attempt % 2 === 0 ? a : b, hash, ip))) break;
      beforeBlock += 1;
    }
    expect(beforeBlock).toBe(10);
    const decision = await b.check(hash, ip);
    expect(decision).toMatchObject({ allowed: false, reason: 'account_ip_blocked' });
    expect(decision.retryAfterSeconds).toBeGreaterThan(25);
    expect(decision.retryAfterSeconds).toBeLessThanOrEqual(30);
    // The same account from another IP, and another account from this IP, still get in.
    expect((await a.check(hash, '198.51.100.11')).allowed).toBe(true);
    expect((await a.check(newAccount().hash, ip)).allowed).toBe(true);
  });

  it('lets no concurrent burst past the 10 free attempts', async () => {
    const { hash } = newAccount();
    const decisions = await Promise.all(
      Array.from({ length: 100 }, (_, index) => (index % 2 === 0 ? a : b).check(hash, '198.51.100.20')),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });

  it('a success resets the consecutive-failure count', async () => {
    const { hash } = newAccount();
    const ip = '198.51.100.30';
    for (let attempt = 0; attempt < 9; attempt += 1) expect(await failedLogin(a, hash, ip)).toBe(true);
    expect((await b.check(hash, ip)).allowed).toBe(true);
    await b.recordSuccess(hash, ip);
    let allowed = 0;
    for (let attempt = 0; attempt < 15; attempt += 1)
      if (await failedLogin(attempt % 2 === 0 ? b : a, hash, ip)) allowed += 1;
    expect(allowed).toBe(10);
  });

  it('makes blocks grow: after each block, one attempt, then a longer block', async () => {
    const short = { ...DEFAULT_LOGIN_THROTTLE_POLICY, firstBlockSeconds: 1, maxBlockSeconds: 4 };
    const throttle = createRedisLoginThrottle(redisA, `${config.queue.prefix}-short`, short);
    const { hash } = newAccount();
    const ip = '198.51.100.40';
    for (let attempt = 0; attempt < 10; attempt += 1) expect(await failedLogin(throttle, hash, ip)).toBe(true);
    const blocks: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const refused = await throttle.check(hash, ip);
      expect(refused.allowed).toBe(false);
      blocks.push(refused.retryAfterSeconds ?? 0);
      await new Promise((resolve) => setTimeout(resolve, (refused.retryAfterSeconds ?? 0) * 1000 + 150));
      expect(await failedLogin(throttle, hash, ip)).toBe(true);
    }
    expect(blocks).toEqual([1, 2, 4]);
  }, 20_000);

  it('keeps no email address in Redis, only its hash, under the configured prefix', async () => {
    const { email, hash } = newAccount();
    await failedLogin(a, hash, '198.51.100.50');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redisA.scan(cursor, 'MATCH', `${config.queue.prefix}:throttle:*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    expect(keys.some((key) => key.includes(hash))).toBe(true);
    for (const key of keys) {
      expect(key.toLowerCase()).not.toContain('@example.test');
      expect(key.toLowerCase()).not.toContain(email.split('@')[0].toLowerCase());
    }
  });

  it('the Redis sliding window slides (Redis clock) and releases by tag', async () => {
    const window = new RedisSlidingWindow(redisB);
    const key = `${config.queue.prefix}:window-test`;
    for (let index = 0; index < 3; index += 1) expect((await window.reserve(key, 3, 800, 'x')).allowed).toBe(true);
    const refused = await window.reserve(key, 3, 800, 'x');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(800);
    await window.release(key, 'x');
    expect((await window.reserve(key, 3, 800, 'y')).allowed).toBe(true);
    expect((await window.reserve(key, 3, 800, 'y')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect((await window.reserve(key, 3, 800, 'y')).allowed).toBe(true);
  });
});
