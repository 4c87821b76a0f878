import { QueryFailedError } from 'typeorm';
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
 * A statement PostgreSQL parses and plans once per pooled connection and then
 * only executes (a named prepared statement): for the queries every request
 * makes. Its text never changes with the values (no string building).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
  /**
   * The parameter types (`uuid`, `timestamptz`, …) written into SQL `PREPARE` when
   * the statement is executed with literal values (first query, prefetch, at
   * commit); none: PostgreSQL infers them from the statement (casts, context).
   */
  readonly parameterTypes: readonly string[];
  /**
   * `generic`: every execution runs PostgreSQL's generic plan of the statement
   * (planned once per connection without the values; `plan_cache_mode =
   * force_generic_plan` around each execution, transaction-local). For a
   * statement that costs more to plan than to run and whose generic plan is known
   * to start from the caller's rows (written so: fenced subqueries, see the
   * caseload); PostgreSQL's own choice (`auto`) otherwise re-plans with the values
   * whenever it estimates the generic plan dearer.
   */
  readonly plan: 'auto' | 'generic';
}

export interface PreparedStatementOptions {
  /** See {@link PreparedStatement.plan}; default `auto`. */
  readonly plan?: 'auto' | 'generic';
}

const STATEMENT_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const PARAMETER_TYPE = /^[a-z][a-z0-9_ ]{0,40}(\[\])?$/;
const PREPARED_STATEMENTS = new Map<string, PreparedStatement>();

/** Declares a {@link PreparedStatement}; one name, one statement per process. */
export function preparedStatement(
  name: string,
  text: string,
  parameterTypes: readonly string[],
  options: PreparedStatementOptions = {},
): PreparedStatement {
  const plan = options.plan ?? 'auto';
  if (!STATEMENT_NAME.test(name)) throw new Error(`Invalid prepared statement name ${name}`);
  if (!parameterTypes.every((type) => PARAMETER_TYPE.test(type))) {
    throw new Error(`Invalid parameter types of prepared statement ${name}`);
  }
  const existing = PREPARED_STATEMENTS.get(name);
  if (existing !== undefined) {
    if (existing.text !== text || existing.parameterTypes.join() !== parameterTypes.join() || existing.plan !== plan) {
      throw new Error(`Two different prepared statements are named ${name}`);
    }
    return existing;
  }
  const statement: PreparedStatement = Object.freeze({
    name,
    text,
    parameterTypes: Object.freeze([...parameterTypes]),
    plan,
  });
  PREPARED_STATEMENTS.set(name, statement);
  return statement;
}

/**
 * The declared statement an SQL `EXECUTE mend_sql_<name>` runs, by that name (as
 * sent on the wire); undefined for any other name. For tools that re-plan what a
 * request sent (the index test of the list routes).
 */
export function preparedStatementByWireName(wireName: string): PreparedStatement | undefined {
  return wireName.startsWith('mend_sql_') ? PREPARED_STATEMENTS.get(wireName.slice('mend_sql_'.length)) : undefined;
}

/** What {@link sqlLiteral} accepts: values with one safe literal form. */
export type InlineValue = string | Date | number | boolean | null;

/**
 * One value as a PostgreSQL literal, for the simple query protocol (which has no
 * bind parameters but carries several statements in one round trip). Strings are
 * quoted the way PostgreSQL reads them (quotes doubled; with a backslash, an
 * `E''` string with backslashes doubled, as pg's `escapeLiteral`; NUL refused);
 * dates become ISO-8601 literals; numbers must be finite. Like a bind parameter,
 * a quoted literal is typed by its context.
 */
export function sqlLiteral(value: InlineValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('Only finite numbers can be written as SQL literals');
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('An invalid date cannot be written as an SQL literal');
    return `'${value.toISOString()}'`;
  }
  if (typeof value !== 'string') throw new Error('Unsupported SQL literal');
  if (value.includes('\0')) throw new Error('A NUL character cannot be written as an SQL literal');
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/** The pg client under a connected query runner. */
interface PgClient {
  query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]>;
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
}

interface PgResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number | null;
  readonly command: string;
}

/** The part of TypeORM's query runner state that {@link UnitOfWork} sets when it opens the transaction itself. */
interface RunnerTransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/**
 * A transaction with no clinic set. Row-level security hides every tenant row here,
 * so it is only good for the reviewed SECURITY DEFINER functions and for tables
 * that belong to no clinic.
 */
export class SystemTransaction {
  protected isClosed = false;
  /** Results of {@link UnitOfWorkOptions.prefetch}, by {@link prefetchKey}, until used or dropped. */
  private prefetched: Map<string, PgResult> | undefined;
  /** Statements that travel with the COMMIT (see {@link TenantTransaction.executeAtCommit}). */
  protected atCommit: FirstQuery[] | undefined;
  /** Set when the opening message committed (`commitWithOpening`): begins the next transaction. */
  private reopen: (() => Promise<void>) | undefined;
  /** Run once the unit of work has committed (see {@link SystemTransaction.afterCommit}). */
  private committed: (() => void)[] | undefined;

  /** @internal created only by {@link UnitOfWork}. */
  constructor(
    token: symbol,
    protected readonly entityManager: EntityManager,
    private readonly client: PgClient,
  ) {
    if (token !== issuedByUnitOfWork) throw new Error('Transactions are created by UnitOfWork only');
  }

  /**
   * Raw SQL with bind parameters, inside this transaction. A {@link PreparedStatement}
   * is parsed and planned once per pooled connection, then only executed.
   * Answers the statement's rows — for an UPDATE or DELETE, those of its RETURNING
   * clause (straight through pg, without TypeORM's per-query events and logging,
   * which Mend does not use).
   */
  query<T = Record<string, unknown>>(
    sql: string | PreparedStatement,
    parameters: readonly unknown[] = [],
  ): Promise<T[]> {
    this.assertOpen();
    if (this.prefetched !== undefined) {
      const key = typeof sql === 'string' ? undefined : prefetchKey(sql, parameters);
      const result = key === undefined ? undefined : this.prefetched.get(key);
      if (result !== undefined) {
        this.prefetched.delete(key as string);
        return Promise.resolve(answerOf<T>(result));
      }
      // Anything else may have written since the prefetch ran: its results are no longer trusted.
      this.dropPrefetched();
    }
    if (this.reopen !== undefined) {
      // Sent before this query on the same connection: the query runs in the new transaction.
      const reopened = this.takeReopen();
      return reopened.then(() => runQuery<T>(this.client, sql, parameters));
    }
    return runQuery<T>(this.client, sql, parameters);
  }

  /**
   * Runs `callback` once this unit of work has committed, never when it rolls back:
   * for state in this process that must follow what the transaction wrote, such as
   * a cache that must not be refilled from the rows as they were before the commit
   * (cleared before it, a concurrent request could read them again). Callbacks run
   * in order, synchronously, after the COMMIT answered and before the unit of work
   * returns; they must not throw (the data is committed by then: a throw would turn
   * a done change into an error).
   */
  afterCommit(callback: () => void): void {
    this.assertOpen();
    (this.committed ??= []).push(callback);
  }

  /** @internal the callbacks of {@link afterCommit} (taken once). */
  takeAfterCommit(): (() => void)[] {
    const callbacks = this.committed ?? [];
    this.committed = undefined;
    return callbacks;
  }

  /** @internal the opening message committed; `reopen` begins a transaction with the same settings. */
  committedWithOpening(reopen: () => Promise<void>): void {
    this.reopen = reopen;
  }

  /** @internal begins the next transaction if the opening one committed and none was begun since. */
  ensureTransaction(): Promise<void> {
    return this.reopen === undefined ? Promise.resolve() : this.takeReopen();
  }

  /** @internal whether the opening committed and nothing has begun a transaction since. */
  get isBetweenTransactions(): boolean {
    return this.reopen !== undefined;
  }

  private takeReopen(): Promise<void> {
    const reopen = this.reopen as () => Promise<void>;
    this.reopen = undefined;
    return reopen();
  }

  /** @internal the prefetched results, handed over by {@link UnitOfWork}. */
  holdPrefetched(results: Map<string, PgResult>): void {
    this.prefetched = results.size > 0 ? results : undefined;
  }

  /** @internal the statements to send with the COMMIT (taken once). */
  takeAtCommit(): FirstQuery[] {
    const statements = this.atCommit ?? [];
    this.atCommit = undefined;
    return statements;
  }

  protected dropPrefetched(): void {
    this.prefetched = undefined;
  }

  /** @internal */
  close(): void {
    this.isClosed = true;
    this.prefetched = undefined;
    this.committed = undefined;
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
    client: PgClient,
    readonly clinicId: string,
  ) {
    super(token, entityManager, client);
  }

  repository<Entity extends ObjectLiteral>(target: EntityTarget<Entity>): Repository<Entity> {
    this.assertOpen();
    if (this.isBetweenTransactions) {
      throw new Error(
        'This unit of work committed with its opening (commitWithOpening): use tx.query, not repositories',
      );
    }
    // Repositories write behind tx.query's back: prefetched results are no longer trusted.
    this.dropPrefetched();
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

  /**
   * Executes a prepared statement (values as literals, see {@link sqlLiteral}) in
   * the same message as this unit of work's COMMIT, just before it: for a write
   * whose result nobody reads, typically the audit row of a read, so that it costs
   * no round trip of its own. It is part of the transaction like any statement:
   * when it fails, nothing commits and the unit of work throws.
   */
  executeAtCommit(statement: PreparedStatement, values: readonly InlineValue[]): void {
    this.assertOpen();
    if (statement.parameterTypes.length > 0 && values.length !== statement.parameterTypes.length) {
      throw new Error(`${statement.name} takes ${statement.parameterTypes.length} values`);
    }
    // Fail now (in the caller's stack) rather than at COMMIT for a value with no literal form.
    values.forEach(sqlLiteral);
    (this.atCommit ??= []).push({ statement, values });
  }
}

export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

const ISOLATION_LEVELS: readonly Isolation[] = ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'];

export interface UnitOfWorkOptions {
  readonly isolation?: Isolation;
  /**
   * The signed-in user, set as the transaction-local `app.user_id`: policies on
   * global tables (a user's own row, their MFA secrets) key on it.
   */
  readonly userId?: string;
  /**
   * A prepared statement executed in the same round trip as `BEGIN` and the
   * settings, after them (so row-level security already applies to it); its rows
   * are the second argument of `work`. For the one query every signed-in request
   * starts with. Its values are sent as literals (see {@link sqlLiteral}).
   */
  readonly firstQuery?: FirstQuery;
  /**
   * Read-only prepared statements executed speculatively in the same opening
   * message, after the first query: a request's likely reads, sent before its
   * handler asks for them. Each result is held by the transaction and answers
   * the first `tx.query` of the same statement with the same values (compared as
   * literals) instead of a round trip. Any other statement, a repository, or a
   * failed match drops every held result (a write may have changed what they
   * would read), so a handler always gets what the query would return at that
   * point. Only reads (`select`, or `with` … `select`) that write and lock
   * nothing are accepted.
   */
  readonly prefetch?: readonly FirstQuery[];
  /**
   * For work that reads: the opening message commits (at the default isolation it
   * is sent without BEGIN and COMMIT, as the implicit transaction PostgreSQL makes
   * of a multi-statement query), so a request whose
   * reads were all prefetched costs one round trip in all. Whatever the work then
   * sends through `tx.query` (a read that was not prefetched, a write) begins a
   * new transaction with the same clinic, user and isolation first, committed
   * (or rolled back) when the work ends, as usual. Under READ COMMITTED every
   * statement reads its own snapshot anyway, so splitting reads between two
   * transactions shows nothing a single one would not; writes stay atomic among
   * themselves. Repositories are refused in such a unit of work.
   */
  readonly commitWithOpening?: boolean;
}

export interface FirstQuery {
  readonly statement: PreparedStatement;
  readonly values: readonly InlineValue[];
}

/**
 * `SET LOCAL name = 'value'`: a transaction-local setting, as `set_config(name,
 * value, true)` makes it, but a utility statement that PostgreSQL does not plan
 * (about 15 µs of its CPU less per request for the two settings, measured with
 * the `me` opening message). The value is a checked uuid, written as a literal.
 */
function setLocal(name: 'app.clinic_id' | 'app.user_id', value: string): string {
  // Utility statements take no bind parameters: only a checked uuid is ever written here.
  if (!UUID.test(value)) throw new Error(`${name} must be a uuid`);
  return `SET LOCAL ${name} = ${sqlLiteral(value)}`;
}

function assertUserId(userId: string): void {
  if (!UUID.test(userId)) throw new Error('A unit of work needs a user id (uuid)');
}

/**
 * The only door to tenant data: one short transaction that first sets the clinic
 * with `SET LOCAL app.clinic_id = …` (transaction-local), so the setting dies with the
 * transaction and a pooled connection never carries it to the next borrower.
 *
 * The transaction opens in one round trip: `BEGIN` (with its isolation level),
 * the settings and the optional first query go to PostgreSQL as one message of
 * the simple query protocol (the ids are checked uuids, written as literals).
 * TypeORM's query runner is told the transaction is open, so repositories work
 * in it (and never open one of their own); `tx.query` and the COMMIT go
 * straight through pg, and the runner is told when the transaction is over.
 */
export class UnitOfWork {
  /** `source` is a {@link Database} (503 until PostgreSQL is reached) or, in tests, any data source holder. */
  constructor(private readonly source: { connected(): DataSource }) {}

  async run<T>(
    clinicId: string,
    work: (tx: TenantTransaction, firstRows: Record<string, unknown>[]) => Promise<T>,
    options: UnitOfWorkOptions = {},
  ): Promise<T> {
    if (!UUID.test(clinicId)) throw new Error('A unit of work needs a clinic id (uuid)');
    const settings = [setLocal('app.clinic_id', clinicId)];
    if (options.userId !== undefined) {
      assertUserId(options.userId);
      settings.push(setLocal('app.user_id', options.userId));
    }
    return this.inTransaction(
      options,
      settings,
      (runner, client) => new TenantTransaction(issuedByUnitOfWork, runner.manager, client, clinicId),
      work,
    );
  }

  /** A transaction with no clinic: for SECURITY DEFINER lookups and clinic-less tables. */
  async runWithoutClinic<T>(work: (tx: SystemTransaction) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    if (options.firstQuery !== undefined || (options.prefetch?.length ?? 0) > 0 || options.commitWithOpening === true) {
      throw new Error('A first query needs a clinic: use run()');
    }
    const settings: string[] = [];
    if (options.userId !== undefined) {
      assertUserId(options.userId);
      settings.push(setLocal('app.user_id', options.userId));
    }
    return this.inTransaction(
      options,
      settings,
      (runner, client) => new SystemTransaction(issuedByUnitOfWork, runner.manager, client),
      (tx) => work(tx),
    );
  }

  private async inTransaction<Tx extends SystemTransaction, T>(
    options: UnitOfWorkOptions,
    settings: readonly string[],
    createTransaction: (runner: QueryRunner, client: PgClient) => Tx,
    work: (tx: Tx, firstRows: Record<string, unknown>[]) => Promise<T>,
  ): Promise<T> {
    const runner = this.source.connected().createQueryRunner();
    let tx: Tx | undefined;
    try {
      const client = (await runner.connect()) as PgClient;
      const opened = await openTransaction(runner, client, options, settings);
      tx = createTransaction(runner, client);
      tx.holdPrefetched(opened.prefetched);
      if (opened.reopen !== undefined) tx.committedWithOpening(opened.reopen);
      const result = await work(tx, opened.firstRows);
      const atCommit = tx.takeAtCommit();
      if (!tx.isBetweenTransactions || atCommit.length > 0) {
        await tx.ensureTransaction();
        await commit(runner, client, atCommit);
      }
      for (const callback of tx.takeAfterCommit()) callback();
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

/**
 * `BEGIN`, the settings, the first query and the prefetched statements in one
 * simple-protocol message. On any error the runner already counts as in a
 * transaction, so the caller's rollback ends the (then aborted) transaction
 * block. Returns the first query's rows (none without one) and the prefetched
 * results by {@link prefetchKey}.
 */
async function openTransaction(
  runner: QueryRunner,
  client: PgClient,
  options: UnitOfWorkOptions,
  settings: readonly string[],
): Promise<{
  firstRows: Record<string, unknown>[];
  prefetched: Map<string, PgResult>;
  reopen?: () => Promise<void>;
}> {
  const { isolation, firstQuery, prefetch = [], commitWithOpening = false } = options;
  if (isolation !== undefined && !ISOLATION_LEVELS.includes(isolation)) {
    throw new Error(`Unknown isolation level ${String(isolation)}`);
  }
  for (const { statement } of prefetch) assertReadOnly(statement);
  const parts = [isolation === undefined ? 'BEGIN' : `BEGIN ISOLATION LEVEL ${isolation}`];
  parts.push(...settings);
  let firstIndex: number | undefined;
  if (firstQuery !== undefined) firstIndex = pushExecute(parts, await executeStatements(client, firstQuery));
  // Duplicates would answer once each; the same read twice is sent once.
  const keys = [...new Map(prefetch.map((query) => [prefetchKey(query.statement, query.values), query])).entries()];
  const prefetchIndexes: number[] = [];
  for (const [, query] of keys) prefetchIndexes.push(pushExecute(parts, await executeStatements(client, query)));
  // Committed with the opening at the default isolation: the message is the implicit transaction
  // PostgreSQL makes of a multi-statement query — the settings (SET LOCAL) hold until its end, it commits
  // when the message has run and rolls back entirely on any error — so it needs neither BEGIN nor COMMIT
  // (two statements fewer to run and answer: ~5 µs of PostgreSQL's CPU and as much of the API's per
  // GET /me). There are always two statements or more (a setting and a read), which is what makes the
  // message one transaction block in which SET LOCAL applies.
  const implicit = commitWithOpening && isolation === undefined && parts.length > 2;
  if (commitWithOpening && !implicit) parts.push('COMMIT');
  const text = implicit ? parts.slice(1).join('; ') : parts.join('; ');
  const state = runner as unknown as RunnerTransactionState;
  const send = async (message: string): Promise<PgResult[]> => {
    try {
      const answer = await client.query(message);
      return Array.isArray(answer) ? answer : [answer];
    } catch (error) {
      throw new QueryFailedError(message, [], error as Error);
    }
  };
  const begin = (message: string): Promise<PgResult[]> => {
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    return send(message);
  };
  // Results by their statement's place in `parts` (the implicit message has no BEGIN's).
  const results = implicit ? [undefined, ...(await send(text))] : await begin(text);
  const prefetched = new Map<string, PgResult>();
  keys.forEach(([key], index) => prefetched.set(key as string, results[prefetchIndexes[index]] as PgResult));
  const firstRows = firstIndex === undefined ? [] : (results[firstIndex] as PgResult).rows;
  if (!commitWithOpening) return { firstRows, prefetched };
  if (!implicit && results[results.length - 1]?.command !== 'COMMIT') {
    throw new QueryFailedError(text, [], new Error('The opening transaction did not commit'));
  }
  state.isTransactionActive = false;
  state.transactionDepth = 0;
  // The next transaction: the same BEGIN and settings, without the first query and the prefetch.
  const reopenText = parts.slice(0, 1 + settings.length).join('; ');
  return { firstRows, prefetched, reopen: () => begin(reopenText).then(() => undefined) };
}

/** Appends an execution's statements to a message's parts; returns the index of the `EXECUTE`'s result. */
function pushExecute(parts: string[], execution: { statements: string[]; resultIndex: number }): number {
  const index = parts.length + execution.resultIndex;
  parts.push(...execution.statements);
  return index;
}

const GENERIC_PLAN_ON = 'SET LOCAL plan_cache_mode = force_generic_plan';
const GENERIC_PLAN_OFF = 'SET LOCAL plan_cache_mode TO DEFAULT';

/**
 * The statements of one execution in a simple-protocol message: the `EXECUTE`
 * (see {@link executeText}), between the generic-plan settings for a statement
 * declared `plan: 'generic'`; `resultIndex`: which of their results is the
 * `EXECUTE`'s.
 */
async function executeStatements(
  client: PgClient,
  query: FirstQuery,
): Promise<{ statements: string[]; resultIndex: number }> {
  const execute = await executeText(client, query);
  return query.statement.plan === 'generic'
    ? { statements: [GENERIC_PLAN_ON, execute, GENERIC_PLAN_OFF], resultIndex: 1 }
    : { statements: [execute], resultIndex: 0 };
}

/** `EXECUTE` of a prepared statement with its values as literals (prepared on the connection first). */
async function executeText(client: PgClient, { statement, values }: FirstQuery): Promise<string> {
  // No declared types: PostgreSQL infers them from the statement, as it does for pg's named statements.
  if (statement.parameterTypes.length > 0 && values.length !== statement.parameterTypes.length) {
    throw new Error(`${statement.name} takes ${statement.parameterTypes.length} values`);
  }
  const literals = values.map(sqlLiteral);
  await prepareOnConnection(client, statement);
  return `EXECUTE ${sqlStatementName(statement)}(${literals.join(', ')})`;
}

const READ_ONLY = /^\s*(select|with)\b/i;
const WRITES_OR_LOCKS = /\b(insert|update|delete|merge|truncate|share|nextval|setval|set_config)\b/i;

/** The statements {@link assertReadOnly} has accepted (their text never changes): checked once, not per request. */
const readOnlyStatements = new WeakSet<PreparedStatement>();

/** A prefetched statement runs before the handler asks for it: it must not write or lock anything. */
function assertReadOnly(statement: PreparedStatement): void {
  if (readOnlyStatements.has(statement)) return;
  if (!READ_ONLY.test(statement.text) || WRITES_OR_LOCKS.test(statement.text)) {
    throw new Error(`Only read-only select statements can be prefetched (${statement.name})`);
  }
  readOnlyStatements.add(statement);
}

/**
 * What identifies a read for {@link UnitOfWorkOptions.prefetch}: the statement
 * and its values as SQL literals; undefined when a value has no literal form
 * (that read is then never answered from a prefetch).
 */
function prefetchKey(statement: PreparedStatement, values: readonly unknown[]): string | undefined {
  const literals: string[] = [];
  for (const value of values) {
    if (!isInlineValue(value)) return undefined;
    try {
      literals.push(sqlLiteral(value));
    } catch {
      return undefined;
    }
  }
  return `${statement.name}(${literals.join(', ')})`;
}

function isInlineValue(value: unknown): value is InlineValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  );
}

/** The statements each pooled connection has prepared with SQL `PREPARE` (a replaced connection starts empty). */
const preparedOnConnection = new WeakMap<PgClient, Set<string>>();

/**
 * `PREPARE` on this connection once, in a round trip of its own outside any
 * transaction: a prepared statement outlives transactions (rolled back ones
 * too), so after success it exists for the connection's lifetime.
 */
async function prepareOnConnection(client: PgClient, statement: PreparedStatement): Promise<void> {
  let prepared = preparedOnConnection.get(client);
  if (prepared?.has(statement.name) === true) return;
  const types = statement.parameterTypes.length === 0 ? '' : `(${statement.parameterTypes.join(', ')})`;
  const text = `PREPARE ${sqlStatementName(statement)}${types} AS ${statement.text}`;
  try {
    await client.query(text);
  } catch (error) {
    throw new QueryFailedError(text, [], error as Error);
  }
  if (prepared === undefined) {
    prepared = new Set();
    preparedOnConnection.set(client, prepared);
  }
  prepared.add(statement.name);
}

/** SQL `PREPARE` and pg's protocol-level statements share one namespace per connection: distinct prefixes. */
function sqlStatementName(statement: PreparedStatement): string {
  return `mend_sql_${statement.name}`;
}

/**
 * One statement through pg, answered with its rows (an UPDATE's or DELETE's: those
 * of its RETURNING clause); errors as `QueryFailedError`, as TypeORM raises them. A
 * {@link PreparedStatement} is named, so pg parses it once per connection.
 */
async function runQuery<T>(
  client: PgClient,
  sql: string | PreparedStatement,
  parameters: readonly unknown[],
): Promise<T[]> {
  const text = typeof sql === 'string' ? sql : sql.text;
  const values = [...parameters];
  const generic = typeof sql !== 'string' && sql.plan === 'generic';
  let result: PgResult | PgResult[];
  try {
    // Three round trips rather than one: the generic plan saves more than they cost (see PreparedStatement.plan).
    if (generic) await client.query(GENERIC_PLAN_ON);
    result = await (typeof sql === 'string'
      ? client.query(text, values)
      : client.query({ name: `mend_${sql.name}`, text, values }));
    if (generic) await client.query(GENERIC_PLAN_OFF);
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
  // Several statements in one string answer several results, which TypeORM answers with nothing.
  if (Array.isArray(result)) return undefined as unknown as T[];
  return answerOf<T>(result);
}

/**
 * One result as its rows, whatever the command: an UPDATE or DELETE answers the rows
 * of its RETURNING clause (none without one), as a SELECT or an INSERT does. (Until
 * 2026-11-29 it answered `[rows, count]`, as TypeORM's `query` does: a check such as
 * `rows.length === 0` after an `UPDATE … RETURNING` never fired: a homework draft save
 * and a submit that lost a race answered 200.) A change's count: the number of rows of
 * its RETURNING clause, the statement sent bare (no CTE wrapper needed).
 */
function answerOf<T>(result: PgResult): T[] {
  return result.rows as T[];
}

/**
 * COMMIT through pg, after the statements deferred to it in the same message,
 * then TypeORM's query runner is told the transaction is over (as its
 * commitTransaction does). A failing statement skips the rest of the message:
 * the transaction is then aborted and the caller rolls back.
 */
async function commit(runner: QueryRunner, client: PgClient, statements: readonly FirstQuery[]): Promise<void> {
  const parts: string[] = [];
  for (const query of statements) pushExecute(parts, await executeStatements(client, query));
  parts.push('COMMIT');
  const text = parts.join('; ');
  let answer: PgResult | PgResult[];
  try {
    answer = await client.query(text);
  } catch (error) {
    throw new QueryFailedError(text, [], error as Error);
  }
  // A COMMIT of an aborted transaction answers ROLLBACK rather than an error.
  const last = Array.isArray(answer) ? answer[answer.length - 1] : answer;
  if (last.command !== 'COMMIT') {
    throw new QueryFailedError(text, [], new Error(`The transaction did not commit (${last.command})`));
  }
  const state = runner as unknown as RunnerTransactionState;
  state.isTransactionActive = false;
  state.transactionDepth = 0;
}
