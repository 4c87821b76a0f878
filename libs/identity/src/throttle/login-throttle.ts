import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import {
  MemorySlidingWindow,
  RedisSlidingWindow,
  type SlidingWindowLimiter,
  withRedisTimeout,
} from './sliding-window.js';
import { assertEmailHash, throttleClientKey } from './throttle-keys.js';

export interface ThrottleDecision {
  readonly allowed: boolean;
  /** Set when refused: when the same account (from this client) may try again. */
  readonly retryAfterSeconds?: number;
  /** Why it was refused, for the security log (never shown to the client). */
  readonly reason?: 'account_ip_blocked' | 'account_hourly_cap';
}

/**
 * Brute-force protection for password login (reliability.md AUTH-2).
 *
 * Call `check` before any password verification, for known and unknown emails
 * alike; when it refuses, do not verify the password at all. `check` counts the
 * attempt as a failure up front (atomically with the decision), so a burst of
 * concurrent attempts on several API instances cannot all pass before the first
 * failure is written. `recordSuccess` takes that count back and resets the
 * consecutive-failure counter; `recordFailure` confirms it (nothing left to count).
 */
export interface LoginThrottle {
  check(emailHash: string, ip: string): Promise<ThrottleDecision>;
  recordFailure(emailHash: string, ip: string): Promise<void>;
  recordSuccess(emailHash: string, ip: string): Promise<void>;
}

export interface LoginThrottlePolicy {
  /** Consecutive failures per account + client before the first block (AUTH-2: ≤ 10). */
  readonly freeFailures: number;
  /** The first block; each further failure doubles it. */
  readonly firstBlockSeconds: number;
  readonly maxBlockSeconds: number;
  /** Consecutive failures are forgotten this long after the first of them (without a success). */
  readonly failureMemorySeconds: number;
  /** Failed attempts per account in any hour, whatever the client (ASVS 2.2.1: ≤ 100). */
  readonly accountFailuresPerHour: number;
}

export const DEFAULT_LOGIN_THROTTLE_POLICY: LoginThrottlePolicy = {
  freeFailures: 10,
  firstBlockSeconds: 30,
  maxBlockSeconds: 3_600,
  failureMemorySeconds: 86_400,
  accountFailuresPerHour: 100,
};

const HOUR_MS = 3_600_000;

/** Which stores a throttle runs on: Redis (shared by every API instance) or memory (one process). */
export interface LoginThrottleStores {
  /** Counts consecutive failures per account + client (incremented, never refused). */
  readonly failures: RateLimiterAbstract;
  /** One point per block: whoever consumes it may try once; the key's lifetime is the block. */
  readonly blocks: RateLimiterAbstract;
  readonly window: SlidingWindowLimiter;
  /** Namespace of the hourly-cap keys, e.g. `mend:throttle`. */
  readonly prefix: string;
  /** Wraps each store call (a timeout for Redis). */
  readonly call?: <T>(operation: Promise<T>) => Promise<T>;
}

type Outcome =
  | { readonly consumed: true; readonly res: RateLimiterRes }
  | { readonly consumed: false; readonly res: RateLimiterRes };

export class LoginThrottleService implements LoginThrottle {
  private readonly call: <T>(operation: Promise<T>) => Promise<T>;

  constructor(
    private readonly stores: LoginThrottleStores,
    private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE_POLICY,
  ) {
    this.call = stores.call ?? ((operation) => operation);
  }

  async check(emailHash: string, ip: string): Promise<ThrottleDecision> {
    const { pairKey, accountKey, clientKey } = this.keys(emailHash, ip);

    // 1. Inside a progressive block: refused without counting anything.
    const block = await this.call(this.stores.blocks.get(pairKey));
    if (block !== null && block.consumedPoints >= 1 && block.msBeforeNext > 0) {
      return refused(block.msBeforeNext, 'account_ip_blocked');
    }

    // 2. The per-account cap, over every client.
    const hourly = await this.stores.window.reserve(accountKey, this.policy.accountFailuresPerHour, HOUR_MS, clientKey);
    if (!hourly.allowed) return refused(hourly.retryAfterMs, 'account_hourly_cap');

    // 3. Count the attempt for this account + client; from the `freeFailures`-th on,
    //    each attempt must take the single point of a block that starts now, so
    //    only one attempt gets through per block however many race for it.
    const failures = await this.call(this.stores.failures.penalty(pairKey, 1));
    const count = failures.consumedPoints;
    if (count < this.policy.freeFailures) return { allowed: true };
    const blockSeconds = this.blockSeconds(count);
    const outcome = await this.call(consume(this.stores.blocks, pairKey, blockSeconds));
    if (outcome.consumed) return { allowed: true };
    // Lost the race for the block's single attempt: undo what this attempt counted.
    await this.call(this.stores.failures.reward(pairKey, 1));
    await this.stores.window.release(accountKey, clientKey);
    return refused(outcome.res.msBeforeNext, 'account_ip_blocked');
  }

  recordFailure(emailHash: string, ip: string): Promise<void> {
    // `check` already counted this attempt; validating keeps callers honest about what they pass.
    this.keys(emailHash, ip);
    return Promise.resolve();
  }

  async recordSuccess(emailHash: string, ip: string): Promise<void> {
    const { pairKey, accountKey, clientKey } = this.keys(emailHash, ip);
    await this.call(this.stores.failures.delete(pairKey));
    await this.call(this.stores.blocks.delete(pairKey));
    await this.stores.window.release(accountKey, clientKey);
  }

  /** Length of the block that starts with the `count`-th consecutive failure. */
  blockSeconds(count: number): number {
    const doublings = Math.min(count - this.policy.freeFailures, 30);
    return Math.min(this.policy.firstBlockSeconds * 2 ** Math.max(0, doublings), this.policy.maxBlockSeconds);
  }

  private keys(emailHash: string, ip: string): { pairKey: string; accountKey: string; clientKey: string } {
    assertEmailHash(emailHash);
    const clientKey = throttleClientKey(ip);
    return {
      pairKey: `${emailHash}:${clientKey}`,
      accountKey: `${this.stores.prefix}:acct-hour:${emailHash}`,
      clientKey,
    };
  }
}

function refused(ms: number, reason: NonNullable<ThrottleDecision['reason']>): ThrottleDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)), reason };
}

/** rate-limiter-flexible rejects with a RateLimiterRes when over the limit and with an Error when the store fails. */
function consume(limiter: RateLimiterAbstract, key: string, customDuration: number): Promise<Outcome> {
  return limiter.consume(key, 1, { customDuration }).then(
    (res): Outcome => ({ consumed: true, res }),
    (rejection: unknown): Outcome => {
      if (rejection instanceof RateLimiterRes) return { consumed: false, res: rejection };
      throw rejection;
    },
  );
}

/** The namespace of throttle keys under the deployment's key prefix (QUEUE_PREFIX). */
export function throttleKeyPrefix(keyPrefix: string): string {
  return `${keyPrefix}:throttle`;
}

/** Shared by every API instance: counters and blocks live in Redis. */
export function createRedisLoginThrottle(
  redis: Redis,
  keyPrefix: string,
  policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE_POLICY,
): LoginThrottleService {
  const prefix = throttleKeyPrefix(keyPrefix);
  return new LoginThrottleService(
    {
      failures: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:acct-ip-failures`,
        points: Number.MAX_SAFE_INTEGER,
        duration: policy.failureMemorySeconds,
      }),
      blocks: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:acct-ip-block`,
        points: 1,
        duration: policy.firstBlockSeconds,
      }),
      window: new RedisSlidingWindow(redis),
      prefix,
      call: (operation) => withRedisTimeout(operation),
    },
    policy,
  );
}

/**
 * One process only: the embedded demo (no Redis) and unit tests. Uses `Date.now`
 * (fake timers apply).
 */
export function createMemoryLoginThrottle(
  keyPrefix: string,
  policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE_POLICY,
): LoginThrottleService {
  const prefix = throttleKeyPrefix(keyPrefix);
  return new LoginThrottleService(
    {
      failures: new RateLimiterMemory({
        keyPrefix: `${prefix}:acct-ip-failures`,
        points: Number.MAX_SAFE_INTEGER,
        duration: policy.failureMemorySeconds,
      }),
      blocks: new RateLimiterMemory({
        keyPrefix: `${prefix}:acct-ip-block`,
        points: 1,
        duration: policy.firstBlockSeconds,
      }),
      window: new MemorySlidingWindow(() => Date.now()),
      prefix,
    },
    policy,
  );
}
