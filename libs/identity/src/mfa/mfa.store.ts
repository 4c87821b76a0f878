import type { SystemTransaction, UnitOfWork } from '@mend/core';

/** A user's MFA columns as stored (seeds sealed, data key wrapped). */
export interface StoredMfa {
  /** Active seed, envelope-encrypted with AAD `user:<id>/mfa`. */
  readonly secret: string | null;
  /** Seed of an enrollment started but not yet confirmed (AAD `user:<id>/mfa-pending`). */
  readonly pendingSecret: string | null;
  /** The user's data key, wrapped by the master key. */
  readonly dataKey: string | null;
  readonly enrolledAt: Date | null;
  /** The last accepted TOTP time step (replay guard). */
  readonly lastStep: number | null;
}

/**
 * Where MFA state lives. Every write that guards a single use is one conditional
 * statement, so it holds across API instances without locks held in between.
 */
export interface MfaStore {
  /** `null` when there is no such user (or the caller may not see it). */
  load(userId: string): Promise<StoredMfa | null>;
  /** Stores a pending seed, unless the data key changed since `expectedDataKey` was read. */
  savePending(userId: string, pendingSecret: string, dataKey: string, expectedDataKey: string | null): Promise<boolean>;
  /**
   * Makes the pending seed active if it is still `expectedPending` (a second
   * confirmation of the same enrollment loses), records `step` as used and
   * replaces the recovery codes.
   */
  activate(
    userId: string,
    expectedPending: string,
    secret: string,
    step: number,
    recoveryCodeHashes: readonly string[],
  ): Promise<boolean>;
  /** Records `step` as used if it is later than the last used step; false = replay. */
  claimStep(userId: string, step: number): Promise<boolean>;
  /** Marks an unused recovery code used; false when unknown or already used. */
  useRecoveryCode(userId: string, codeHash: string): Promise<boolean>;
  remainingRecoveryCodes(userId: string): Promise<number>;
  /**
   * The same store working inside a transaction that already acts as the user
   * (`app.user_id` set): a signed-in request's own unit of work, so its MFA
   * writes commit or roll back with it and need no second connection.
   */
  within(tx: SystemTransaction): MfaStore;
}

interface MfaRow {
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  mfa_data_key: string | null;
  mfa_enrolled_at: Date | null;
  mfa_last_step: string | number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * PostgreSQL, as the runtime role: every statement runs in a transaction with
 * `app.user_id` set, so the `user_credentials` and `user_recovery_codes` self
 * policies (docs/identity-and-audit.md) admit only the user's own rows. The
 * credentials row is created by the first password or enrolment that needs it.
 */
export class SqlMfaStore implements MfaStore {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transaction?: SystemTransaction,
  ) {}

  within(tx: SystemTransaction): MfaStore {
    return new SqlMfaStore(this.unitOfWork, tx);
  }

  async load(userId: string): Promise<StoredMfa | null> {
    const rows = await this.asUser(userId, (query) =>
      query<MfaRow>(
        `select c.mfa_secret, c.mfa_pending_secret, c.mfa_data_key, c.mfa_enrolled_at, c.mfa_last_step
           from users u left join user_credentials c on c.user_id = u.id
          where u.id = $1`,
        [userId],
      ),
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      secret: row.mfa_secret,
      pendingSecret: row.mfa_pending_secret,
      dataKey: row.mfa_data_key,
      enrolledAt: row.mfa_enrolled_at,
      lastStep: row.mfa_last_step === null ? null : Number(row.mfa_last_step),
    };
  }

  async savePending(
    userId: string,
    pendingSecret: string,
    dataKey: string,
    expectedDataKey: string | null,
  ): Promise<boolean> {
    const changed = await this.asUser(userId, (query) =>
      query(
        `insert into user_credentials as c (user_id, mfa_pending_secret, mfa_data_key) values ($1, $2, $3)
         on conflict (user_id) do update
            set mfa_pending_secret = excluded.mfa_pending_secret, mfa_data_key = excluded.mfa_data_key
          where c.mfa_data_key is not distinct from $4
         returning 1`,
        [userId, pendingSecret, dataKey, expectedDataKey],
      ),
    );
    return changed.length === 1;
  }

  async activate(
    userId: string,
    expectedPending: string,
    secret: string,
    step: number,
    recoveryCodeHashes: readonly string[],
  ): Promise<boolean> {
    return this.asUser(userId, async (query) => {
      const changed = await query(
        `update user_credentials
            set mfa_secret = $3, mfa_pending_secret = null, mfa_enrolled_at = now(), mfa_last_step = $4
          where user_id = $1 and mfa_pending_secret = $2
         returning 1`,
        [userId, expectedPending, secret, step],
      );
      if (changed.length !== 1) return false;
      await query('delete from user_recovery_codes where user_id = $1', [userId]);
      await query(
        `insert into user_recovery_codes (user_id, id, code_hash)
         select $1, gen_random_uuid(), hash from unnest($2::text[]) as hash`,
        [userId, [...recoveryCodeHashes]],
      );
      return true;
    });
  }

  async claimStep(userId: string, step: number): Promise<boolean> {
    // The replay guard (RFC 6238 §5.2) across API instances: of two transactions
    // racing with the same step, the second re-reads the row after the first
    // commits (READ COMMITTED re-check of an updated row) and matches nothing.
    const changed = await this.asUser(userId, (query) =>
      query(
        `update user_credentials set mfa_last_step = $2
          where user_id = $1 and mfa_enrolled_at is not null and coalesce(mfa_last_step, -1) < $2
         returning 1`,
        [userId, step],
      ),
    );
    return changed.length === 1;
  }

  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const changed = await this.asUser(userId, (query) =>
      query(
        `update user_recovery_codes set used_at = now()
          where user_id = $1 and code_hash = $2 and used_at is null
         returning 1`,
        [userId, codeHash],
      ),
    );
    return changed.length === 1;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    return this.asUser(userId, (query) =>
      countOf(
        query('select count(*)::int as n from user_recovery_codes where user_id = $1 and used_at is null', [userId]),
      ),
    );
  }

  private asUser<T>(userId: string, work: (query: Query) => Promise<T>): Promise<T> {
    if (!UUID.test(userId)) return Promise.reject(new Error('A user id is a uuid'));
    const transaction = this.transaction;
    if (transaction !== undefined) return work((sql, parameters) => transaction.query(sql, parameters));
    return this.unitOfWork.runWithoutClinic((tx) => work((sql, parameters) => tx.query(sql, parameters)), { userId });
  }
}

/** `query` of the transaction acting as the user: answers a write's RETURNING rows, as a SELECT's. */
type Query = <R = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]) => Promise<R[]>;

async function countOf(rows: Promise<Record<string, unknown>[]>): Promise<number> {
  const [row] = await rows;
  return Number(row?.n ?? 0);
}

/**
 * The same contract in memory, for unit tests with a fake clock. Single-threaded
 * JavaScript makes each method atomic, as the SQL statements are.
 */
export class MemoryMfaStore implements MfaStore {
  readonly users = new Map<string, StoredMfa>();
  readonly recoveryCodes = new Map<string, { hash: string; usedAt: Date | null }[]>();

  within(): MfaStore {
    return this;
  }

  addUser(userId: string): void {
    this.users.set(userId, { secret: null, pendingSecret: null, dataKey: null, enrolledAt: null, lastStep: null });
  }

  load(userId: string): Promise<StoredMfa | null> {
    return Promise.resolve(this.users.get(userId) ?? null);
  }

  savePending(
    userId: string,
    pendingSecret: string,
    dataKey: string,
    expectedDataKey: string | null,
  ): Promise<boolean> {
    const user = this.users.get(userId);
    if (user === undefined || user.dataKey !== expectedDataKey) return Promise.resolve(false);
    this.users.set(userId, { ...user, pendingSecret, dataKey });
    return Promise.resolve(true);
  }

  activate(
    userId: string,
    expectedPending: string,
    secret: string,
    step: number,
    recoveryCodeHashes: readonly string[],
  ): Promise<boolean> {
    const user = this.users.get(userId);
    if (user === undefined || user.pendingSecret !== expectedPending) return Promise.resolve(false);
    this.users.set(userId, { ...user, secret, pendingSecret: null, enrolledAt: new Date(), lastStep: step });
    this.recoveryCodes.set(
      userId,
      recoveryCodeHashes.map((hash) => ({ hash, usedAt: null })),
    );
    return Promise.resolve(true);
  }

  claimStep(userId: string, step: number): Promise<boolean> {
    const user = this.users.get(userId);
    if (user === undefined || user.enrolledAt === null || (user.lastStep ?? -1) >= step) return Promise.resolve(false);
    this.users.set(userId, { ...user, lastStep: step });
    return Promise.resolve(true);
  }

  useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const code = (this.recoveryCodes.get(userId) ?? []).find((c) => c.hash === codeHash && c.usedAt === null);
    if (code === undefined) return Promise.resolve(false);
    code.usedAt = new Date();
    return Promise.resolve(true);
  }

  remainingRecoveryCodes(userId: string): Promise<number> {
    return Promise.resolve((this.recoveryCodes.get(userId) ?? []).filter((c) => c.usedAt === null).length);
  }
}
