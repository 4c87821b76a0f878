import { randomUUID } from 'node:crypto';

import type { Redis } from 'ioredis';

import { DependencyUnavailableError } from '@mend/core';

/** The outcome of asking for one more event in a window. */
export interface WindowReservation {
  readonly allowed: boolean;
  /** When refused: how long until the oldest counted event leaves the window. */
  readonly retryAfterMs: number;
}

/**
 * "At most `limit` events in any `windowMs`", as an exact sliding log. Fixed
 * windows (what rate-limiter-flexible's counters are) let through up to twice the
 * limit across a window boundary (99 at 59:59 and 100 more at 60:01); the caps
 * in reliability.md (≤ 100 failures per account per hour, ≤ 5 MFA attempts per
 * 30 s) are stated over any window, so these two use a log of event times.
 *
 * `reserve` counts the event atomically with the decision, so concurrent callers
 * on several API instances cannot all pass before any of them is counted.
 * `tag` marks the event so that `release` can take back the newest one with
 * that tag (a login that turned out to succeed is not a failure).
 */
export interface SlidingWindowLimiter {
  reserve(key: string, limit: number, windowMs: number, tag?: string): Promise<WindowReservation>;
  release(key: string, tag: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Bounds every Redis call: a hung Redis must give a 503, not a login that never answers. */
const REDIS_TIMEOUT_MS = 2_000;

export async function withRedisTimeout<T>(operation: Promise<T>, timeoutMs = REDIS_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailableError('redis')), timeoutMs);
  });
  try {
    return await Promise.race([operation, timeout]);
  } catch (error) {
    if (error instanceof DependencyUnavailableError) throw error;
    throw Object.assign(new DependencyUnavailableError('redis'), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

// Time comes from Redis itself (TIME), so API instances with skewed clocks share one timeline.
const RESERVE_SCRIPT = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', key, now, ARGV[3])
redis.call('PEXPIRE', key, window)
return {1, 0}
`;

const RELEASE_SCRIPT = `
local prefix = ARGV[1] .. '|'
local members = redis.call('ZREVRANGE', KEYS[1], 0, -1)
for _, member in ipairs(members) do
  if string.sub(member, 1, string.len(prefix)) == prefix then
    redis.call('ZREM', KEYS[1], member)
    return 1
  end
end
return 0
`;

interface SlidingWindowCommands {
  mendWindowReserve(key: string, limit: string, windowMs: string, member: string): Promise<[number, number]>;
  mendWindowRelease(key: string, tag: string): Promise<number>;
}

/** Shared across API instances: the log lives in one Redis sorted set per key. */
export class RedisSlidingWindow implements SlidingWindowLimiter {
  private readonly commands: SlidingWindowCommands;

  constructor(private readonly redis: Redis) {
    redis.defineCommand('mendWindowReserve', { numberOfKeys: 1, lua: RESERVE_SCRIPT });
    redis.defineCommand('mendWindowRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.commands = redis as unknown as SlidingWindowCommands;
  }

  async reserve(key: string, limit: number, windowMs: number, tag = '-'): Promise<WindowReservation> {
    const [allowed, retryAfterMs] = await withRedisTimeout(
      this.commands.mendWindowReserve(key, String(limit), String(windowMs), `${tag}|${randomUUID()}`),
    );
    return { allowed: allowed === 1, retryAfterMs: Number(retryAfterMs) };
  }

  async release(key: string, tag: string): Promise<void> {
    await withRedisTimeout(this.commands.mendWindowRelease(key, tag));
  }

  async clear(key: string): Promise<void> {
    await withRedisTimeout(this.redis.del(key));
  }
}

/**
 * One process only: for the embedded demo (no Redis) and for unit tests with a
 * fake clock.
 */
export class MemorySlidingWindow implements SlidingWindowLimiter {
  private readonly logs = new Map<string, { at: number; tag: string }[]>();

  constructor(private readonly now: () => number = Date.now) {}

  reserve(key: string, limit: number, windowMs: number, tag = '-'): Promise<WindowReservation> {
    const now = this.now();
    const log = (this.logs.get(key) ?? []).filter((event) => event.at > now - windowMs);
    this.logs.set(key, log);
    if (log.length >= limit) {
      return Promise.resolve({ allowed: false, retryAfterMs: Math.max(1, log[0].at + windowMs - now) });
    }
    log.push({ at: now, tag });
    return Promise.resolve({ allowed: true, retryAfterMs: 0 });
  }

  release(key: string, tag: string): Promise<void> {
    const log = this.logs.get(key) ?? [];
    for (let index = log.length - 1; index >= 0; index -= 1) {
      if (log[index].tag === tag) {
        log.splice(index, 1);
        break;
      }
    }
    return Promise.resolve();
  }

  clear(key: string): Promise<void> {
    this.logs.delete(key);
    return Promise.resolve();
  }
}

/** Redis when the deployment has it (shared by every API instance); memory for the embedded demo. */
export function createSlidingWindow(redis: Redis | undefined): SlidingWindowLimiter {
  return redis === undefined ? new MemorySlidingWindow() : new RedisSlidingWindow(redis);
}
