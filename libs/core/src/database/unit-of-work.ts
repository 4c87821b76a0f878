import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner, Repository } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const issuedByUnitOfWork = Symbol('issuedByUnitOfWork');

/** Thrown when a transaction-bound object is used after its unit of work ended. */
export class TransactionClosedError extends Error {
  constructor() {
    super('This repository belongs to a unit of work that has already ended');
    this.name = 'TransactionClosedError';
  }
}

/**
 * A transaction with no clinic set. Row-level security hides every tenant row here,
 * so it is only good for the reviewed SECURITY DEFINER functions and for tables
 * that belong to no clinic.
 */
export class SystemTransaction {
  protected isClosed = false;

  /** @internal created only by {@link UnitOfWork}. */
  constructor(
    token: symbol,
    protected readonly entityManager: EntityManager,
  ) {
    if (token !== issuedByUnitOfWork) throw new Error('Transactions are created by UnitOfWork only');
  }

  /** Raw SQL with bind parameters, inside this transaction. */
  query<T = Record<string, unknown>>(sql: string, parameters: readonly unknown[] = []): Promise<T[]> {
    this.assertOpen();
    return this.entityManager.query(sql, [...parameters]);
  }

  /** @internal */
  close(): void {
    this.isClosed = true;
  }

  protected assertOpen(): void {
    if (this.isClosed) throw new TransactionClosedError();
  }
}

/**
 * A transaction in which `app.clinic_id` is set (transaction-local). Repositories
 * exist only through it, and stop working when the unit of work ends.
 */
export class TenantTransaction extends SystemTransaction {
  /** @internal created only by {@link UnitOfWork}. */
  constructor(
    token: symbol,
    entityManager: EntityManager,
    readonly clinicId: string,
  ) {
    super(token, entityManager);
  }

  repository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    this.assertOpen();
    const repository = this.entityManager.getRepository(target);
    return new Proxy(repository, {
      get: (object, property, receiver) => {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          this.assertOpen();
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  }
}

export interface UnitOfWorkOptions {
  readonly isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
  /**
   * The signed-in user, set as the transaction-local `app.user_id`: policies on
   * global tables (a user's own row, their MFA secrets) key on it.
   */
  readonly userId?: string;
}

function assertUserId(userId: string): void {
  if (!UUID.test(userId)) throw new Error('A unit of work needs a user id (uuid)');
}

async function setUser(runner: QueryRunner, userId: string | undefined): Promise<void> {
  if (userId === undefined) return;
  assertUserId(userId);
  await runner.query("select set_config('app.user_id', $1, true)", [userId]);
}

/**
 * The only door to tenant data: one short transaction that first sets the clinic
 * with `set_config('app.clinic_id', $1, true)`, so the setting dies with the
 * transaction and a pooled connection never carries it to the next borrower.
 */
export class UnitOfWork {
  /** `source` is a {@link Database} (503 until PostgreSQL is reached) or, in tests, any data source holder. */
  constructor(private readonly source: { connected(): DataSource }) {}

  async run<T>(
    clinicId: string,
    work: (tx: TenantTransaction) => Promise<T>,
    options: UnitOfWorkOptions = {},
  ): Promise<T> {
    if (!UUID.test(clinicId)) throw new Error('A unit of work needs a clinic id (uuid)');
    return this.inTransaction(
      options,
      async (runner) => {
        if (options.userId === undefined) {
          await runner.query("select set_config('app.clinic_id', $1, true)", [clinicId]);
        } else {
          // One round trip for both settings: this runs at the start of every signed-in request.
          assertUserId(options.userId);
          await runner.query("select set_config('app.clinic_id', $1, true), set_config('app.user_id', $2, true)", [
            clinicId,
            options.userId,
          ]);
        }
        return new TenantTransaction(issuedByUnitOfWork, runner.manager, clinicId);
      },
      work,
    );
  }

  /** A transaction with no clinic: for SECURITY DEFINER lookups and clinic-less tables. */
  async runWithoutClinic<T>(work: (tx: SystemTransaction) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    return this.inTransaction(
      options,
      async (runner) => {
        await setUser(runner, options.userId);
        return new SystemTransaction(issuedByUnitOfWork, runner.manager);
      },
      work,
    );
  }

  private async inTransaction<Tx extends SystemTransaction, T>(
    options: UnitOfWorkOptions,
    open: (runner: QueryRunner) => Promise<Tx>,
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    const runner = this.source.connected().createQueryRunner();
    let tx: Tx | undefined;
    try {
      await runner.connect();
      await runner.startTransaction(options.isolation);
      tx = await open(runner);
      const result = await work(tx);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      throw error;
    } finally {
      tx?.close();
      await runner.release();
    }
  }
}
