import { randomUUID } from 'node:crypto';

import type { Redis } from 'ioredis';

import { createRedisClient, EnvelopeEncryption, type MendConfig, type UnitOfWork } from '@mend/core';
import {
  MfaService,
  type MfaVerification,
  RedisSlidingWindow,
  type SlidingWindowLimiter,
  SqlMfaStore,
  totpCodeAt,
} from '@mend/identity';
import { connectAs, openTestDatabase, type TestDatabase, testConfig } from '@mend/testing';

const STEP_MS = 30_000;

/** Lets every attempt through: the replay trials must be refused by the replay guard, not by the attempt limit. */
const NO_ATTEMPT_LIMIT: SlidingWindowLimiter = {
  reserve: () => Promise.resolve({ allowed: true, retryAfterMs: 0 }),
  release: () => Promise.resolve(),
  clear: () => Promise.resolve(),
};

/** What one API process holds: its own pool, its own Redis connection, its own service. */
interface ApiInstance {
  readonly database: TestDatabase;
  readonly redis: Redis;
  /** Real attempt limit in Redis. */
  readonly limited: MfaService;
  /** Same store and keys, no attempt limit (replay trials). */
  readonly unlimited: MfaService;
  readonly store: CountingMfaStore;
}

/** Counts the claims the conditional UPDATE refused, to show the races reached the database. */
class CountingMfaStore extends SqlMfaStore {
  claimsRefused = 0;

  override async claimStep(userId: string, step: number): Promise<boolean> {
    const claimed = await super.claimStep(userId, step);
    if (!claimed) this.claimsRefused += 1;
    return claimed;
  }
}

describe('MFA against PostgreSQL and Redis, two API instances', () => {
  let config: MendConfig;
  let clock: number;
  let a: ApiInstance;
  let b: ApiInstance;

  async function startInstance(): Promise<ApiInstance> {
    const database = await openTestDatabase(4);
    const redis = createRedisClient(config.redis.url);
    const store = new CountingMfaStore(database.unitOfWork);
    const masterKey = config.masterKey;
    if (masterKey === undefined) throw new Error('testConfig provides MASTER_KEY');
    const encryption = new EnvelopeEncryption(masterKey);
    const options = { keyPrefix: config.queue.prefix, now: () => clock };
    return {
      database,
      redis,
      store,
      limited: new MfaService(store, encryption, new RedisSlidingWindow(redis), options),
      unlimited: new MfaService(store, encryption, NO_ATTEMPT_LIMIT, options),
    };
  }

  async function createUser(unitOfWork: UnitOfWork): Promise<string> {
    const userId = randomUUID();
    await unitOfWork.runWithoutClinic(
      (tx) => tx.query('insert into users (id, email) values ($1, $2)', [userId, `mfa-${userId}@example.test`]),
      { userId },
    );
    return userId;
  }

  async function enrolledUser(): Promise<{ userId: string; secret: string; recoveryCodes: readonly string[] }> {
    const userId = await createUser(a.database.unitOfWork);
    const { secret } = await a.unlimited.startEnrollment(userId, `mfa-${userId}@example.test`);
    // Confirmed on the other instance: the pending seed is in the database, not in a process.
    const confirmation = await b.unlimited.confirmEnrollment(userId, await totpCodeAt(secret, clock));
    if (!confirmation.ok) throw new Error(`enrollment failed: ${confirmation.reason}`);
    return { userId, secret, recoveryCodes: confirmation.recoveryCodes };
  }

  beforeAll(async () => {
    config = testConfig();
    clock = 1_900_000_000_000 - (1_900_000_000_000 % STEP_MS) + 5_000;
    a = await startInstance();
    b = await startInstance();
  });

  afterAll(async () => {
    for (const instance of [a, b]) {
      instance.redis.disconnect();
      await instance.database.close();
    }
  });

  it('rejects the replay of an accepted code 1,000 times out of 1,000, with the two instances racing each time', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => enrolledUser()));
    const rounds = 50;
    let trials = 0;
    let racesWithOneWinner = 0;
    let replaysRejected = 0;
    let replaysAccepted = 0;
    const unexpected: MfaVerification[] = [];

    for (let round = 0; round < rounds; round += 1) {
      clock += STEP_MS; // a new time step: a fresh code for every user
      await Promise.all(
        users.map(async ({ userId, secret }) => {
          const code = await totpCodeAt(secret, clock);
          // Both instances load the user and claim the same step at the same time.
          const race = await Promise.all([
            a.unlimited.verifyDetailed(userId, code),
            b.unlimited.verifyDetailed(userId, code),
          ]);
          trials += 1;
          const winners = race.filter((result) => result.ok).length;
          if (winners === 1) racesWithOneWinner += 1;
          // The loser of the race is a replay on the other instance; so is a later
          // attempt, made on each instance in turn.
          const later = round % 2 === 0 ? a : b;
          const replays = [...race.filter((result) => !result.ok), await later.unlimited.verifyDetailed(userId, code)];
          for (const replay of replays) {
            if (replay.ok) replaysAccepted += 1;
            else if (replay.reason === 'replayed') replaysRejected += 1;
            else unexpected.push(replay);
          }
        }),
      );
    }

    const refusedByDatabase = a.store.claimsRefused + b.store.claimsRefused;
    process.stdout.write(
      `TOTP replay: ${trials} races, ${racesWithOneWinner} with exactly one winner; ` +
        `${replaysRejected} replays rejected, ${replaysAccepted} accepted; ` +
        `${refusedByDatabase} stopped by the conditional UPDATE after passing the code check\n`,
    );
    expect(trials).toBe(1_000);
    expect(racesWithOneWinner).toBe(1_000);
    expect(replaysAccepted).toBe(0);
    expect(unexpected).toEqual([]);
    expect(replaysRejected).toBe(2_000);
    // Both instances passed the code check at once in at least some races: the database decided.
    expect(refusedByDatabase).toBeGreaterThan(0);
  }, 120_000);

  it('limits verification to 5 attempts per 30 s per account, across instances', async () => {
    const { userId, secret } = await enrolledUser();
    clock += STEP_MS;
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? a : b).limited.verifyDetailed(userId, '000000')),
    );
    const counted = attempts.filter((result) => !(!result.ok && result.reason === 'rate_limited'));
    expect(counted).toHaveLength(5);
    for (const result of attempts) {
      if (!result.ok && result.reason === 'rate_limited') {
        expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(result.retryAfterSeconds).toBeLessThanOrEqual(30);
      }
    }
    // Even the right code is refused until the window moves on.
    expect(await b.limited.verifyDetailed(userId, await totpCodeAt(secret, clock))).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
    // Another account is not affected.
    const other = await enrolledUser();
    clock += STEP_MS; // past the step its enrollment used
    expect(await a.limited.verify(other.userId, await totpCodeAt(other.secret, clock))).toBe('otp');
  });

  it('accepts each recovery code once, even when both instances race with it', async () => {
    const { userId, recoveryCodes } = await enrolledUser();
    for (const code of recoveryCodes.slice(0, 5)) {
      const race = await Promise.all(
        Array.from({ length: 6 }, (_, index) => (index % 2 === 0 ? a : b).unlimited.verify(userId, code)),
      );
      expect(race.filter(Boolean)).toHaveLength(1);
    }
    expect(await a.unlimited.remainingRecoveryCodes(userId)).toBe(5);
  });

  it('keeps seeds encrypted at rest and recovery codes hashed', async () => {
    const { userId, secret, recoveryCodes } = await enrolledUser();
    // The superuser sees past row-level security: what a database dump would contain.
    const admin = await connectAs('admin');
    try {
      const { rows } = await admin.query<{ mfa_secret: string; mfa_data_key: string; mfa_last_step: string }>(
        'select mfa_secret, mfa_data_key, mfa_last_step from user_credentials where user_id = $1',
        [userId],
      );
      expect(rows[0].mfa_secret).toMatch(/^v1\./);
      expect(rows[0].mfa_secret).not.toContain(secret);
      expect(rows[0].mfa_data_key).toMatch(/^v1\./);
      expect(Number(rows[0].mfa_last_step)).toBe(Math.floor(clock / STEP_MS));
      const codes = await admin.query<{ code_hash: string }>(
        'select code_hash from user_recovery_codes where user_id = $1',
        [userId],
      );
      expect(codes.rows).toHaveLength(10);
      const stored = codes.rows.map((row) => row.code_hash).join(' ');
      expect(stored).toMatch(/^[0-9a-f]{64}( [0-9a-f]{64}){9}$/);
      for (const code of recoveryCodes) expect(stored).not.toContain(code.replace('-', ''));
    } finally {
      await admin.end();
    }
  });

  it('a user cannot read or claim another user’s MFA state (row-level security)', async () => {
    const victim = await enrolledUser();
    const intruder = await createUser(a.database.unitOfWork);
    const seen = await a.database.unitOfWork.runWithoutClinic(
      (tx) => tx.query('select mfa_secret from user_credentials where user_id = $1', [victim.userId]),
      { userId: intruder },
    );
    expect(seen).toEqual([]);
    const changed = await a.database.unitOfWork.runWithoutClinic(
      (tx) =>
        tx.query(
          'with c as (update user_credentials set mfa_last_step = 0 where user_id = $1 returning 1) select count(*)::int as n from c',
          [victim.userId],
        ),
      { userId: intruder },
    );
    expect(changed).toEqual([{ n: 0 }]);
  });
});
