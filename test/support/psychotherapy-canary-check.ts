/**
 * The psychotherapy-note canary, checked once after the whole test run (by
 * test/global-teardown.ts, before the database is dropped):
 *
 *   tsx test/support/psychotherapy-canary-check.ts ADMIN_URL DATABASE LOG_DIR
 *
 * The canaries are the `CANARY-psychotherapy-<uuid>` strings inside the
 * psychotherapy notes themselves (test/e2e/sessions writes one): every note is
 * decrypted with this run's MASTER_KEY (notes sealed under other master keys by
 * integration tests are skipped). Each canary must then appear in no row of any
 * table (every column, as text: notifications, audit_events.metadata, the
 * outbox, every plaintext column; ciphertext cannot contain it), in no log line
 * of the run's log files (every API the e2e tests start logs there at level
 * trace) and in no Redis value of the run's queues. No log line may hold a
 * credential or a clinical-text canary either (CREDENTIAL_PATTERNS,
 * CLINICAL_CANARY_PATTERNS). The scan cannot pass vacuously: a missing log
 * directory, or no log at all when psychotherapy notes were written, is an error.
 * Prints one JSON line (files and bytes scanned, what was found, never the
 * secret itself); exits 1 when anything is found or the scan could not run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Redis } from 'ioredis';
import pg from 'pg';

import { EnvelopeEncryption, fieldAad } from '@mend/core';

const CANARY = /CANARY-psychotherapy-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

async function canariesInNotes(client: pg.Client, envelope: EnvelopeEncryption): Promise<Set<string>> {
  const found = new Set<string>();
  const { rows } = await client.query<{
    clinic_id: string;
    id: string;
    body: string;
    key_version: number;
    wrapped_key: string;
  }>(
    `select n.clinic_id, n.id, n.body, n.key_version, k.wrapped_key from psychotherapy_notes n
       join clinic_data_keys k on k.clinic_id = n.clinic_id and k.version = n.key_version`,
  );
  for (const row of rows) {
    try {
      const key = envelope.unwrapDataKey(`${row.clinic_id}~${row.key_version}`, row.wrapped_key);
      const aad = fieldAad(row.clinic_id, { table: 'psychotherapy_notes', rowId: row.id, column: 'body' });
      for (const match of envelope.decrypt(key, row.body, aad).matchAll(CANARY)) found.add(match[0]);
    } catch {
      // Sealed under another master key (an integration test's own): not this run's canary.
    }
  }
  return found;
}

async function tablesContaining(client: pg.Client, patterns: string[]): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select quote_ident(table_name) as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from ${name} t where t::text like any($1::text[])`,
      [patterns],
    );
    if (Number(rows[0].n) > 0) found.push(`table ${name} (${rows[0].n} rows)`);
  }
  return found;
}

/**
 * Credentials that no log line may hold, whatever test wrote it (reliability.md
 * DP-6): an access token (a JWT), a refresh, invitation or reset token
 * (`<clinicId>.<rowId>.<43-character secret>`), a Bearer header with its value,
 * a password made by the test helpers (`newCredentials` in
 * test/e2e/auth/support/identity-app.ts: `<adjective>-<noun>-<8 hex>-<3 hex>`).
 */
export const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/,
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[\w-]{40,}/,
  /Bearer [\w.~+/=-]{20,}/,
  /(?:^|[^\w-])[a-z]+(?:-[a-z]+)+-[0-9a-f]{8}-[0-9a-f]{3}(?![0-9a-f])/,
];

/**
 * The clinical-text canaries the e2e suites store (report scenarios: `CANARY-<label>-<uuid>`; the security
 * suites: `MENDCANARY-clinical-…`; the audit suite: `Cnry<8 hex>-…`): no log line may hold one either.
 */
export const CLINICAL_CANARY_PATTERNS: readonly RegExp[] = [
  /CANARY-[a-z][\w-]*-[0-9a-f]{8}/i,
  /MENDCANARY-clinical/,
  /Cnry[0-9a-f]{8}-/,
];

interface LogScan {
  readonly files: number;
  readonly bytes: number;
  /** `log <file>:<line>` for each line holding a canary. */
  readonly canaries: string[];
  /** `credential in log <file>:<line>` (never the credential itself). */
  readonly credentials: string[];
  /** `clinical canary in log <file>:<line>`. */
  readonly clinical: string[];
}

/**
 * Reads every log file of the run once. The directory is created by
 * test/global-setup.ts before any test: a missing one means the scan would pass
 * vacuously (a wrong path, or logs written elsewhere), so it throws.
 */
function scanLogFiles(directory: string, canaries: readonly string[]): LogScan {
  if (directory === '') throw new Error('no log directory given (MEND_TEST_LOG_DIR unset): nothing would be scanned');
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith('.log'));
  } catch {
    throw new Error(`the run's log directory ${directory} does not exist: nothing would be scanned`);
  }
  const scan: LogScan = { files: files.length, bytes: 0, canaries: [], credentials: [], clinical: [] };
  let bytes = 0;
  for (const file of files) {
    const text = readFileSync(join(directory, file), 'utf8');
    bytes += text.length;
    text.split('\n').forEach((line, index) => {
      if (canaries.some((canary) => line.includes(canary))) scan.canaries.push(`log ${file}:${index + 1}`);
      if (CREDENTIAL_PATTERNS.some((pattern) => pattern.test(line)))
        scan.credentials.push(`credential in log ${file}:${index + 1}`);
      if (CLINICAL_CANARY_PATTERNS.some((pattern) => pattern.test(line)))
        scan.clinical.push(`clinical canary in log ${file}:${index + 1}`);
    });
  }
  return { ...scan, bytes };
}

async function redisValuesContaining(url: string, prefix: string, canaries: string[]): Promise<string[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const found: string[] = [];
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      for (const key of keys) {
        const type = await redis.type(key);
        let values: string[] = [];
        if (type === 'string') values = [(await redis.get(key)) ?? ''];
        else if (type === 'hash') values = Object.values(await redis.hgetall(key));
        else if (type === 'list') values = await redis.lrange(key, 0, -1);
        if (values.some((value) => canaries.some((canary) => value.includes(canary)))) found.push(`redis ${key}`);
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return found;
}

async function main(): Promise<number> {
  const [adminUrl, database, logDirectory] = process.argv.slice(2);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows: present } = await client.query<{ ok: boolean }>(
      `select to_regclass('public.psychotherapy_notes') is not null as ok`,
    );
    const masterKey = process.env.MASTER_KEY;
    // Without the table or the key there are no psychotherapy-note canaries to look for; the logs are
    // still scanned for credentials and clinical canaries.
    const canaries =
      !present[0].ok || masterKey === undefined
        ? []
        : [
            ...(await canariesInNotes(
              client,
              new EnvelopeEncryption({ id: process.env.MASTER_KEY_ID ?? 'k1', key: Buffer.from(masterKey, 'base64') }),
            )),
          ];
    const logs = scanLogFiles(logDirectory ?? '', canaries);
    // A psychotherapy note was written through an API, and every API of the run logs at trace
    // into this directory: no log at all then means the logs went elsewhere and the scan is vacuous.
    if (canaries.length > 0 && logs.bytes === 0) {
      throw new Error(`psychotherapy notes were written but ${logDirectory ?? ''} holds no log line to scan`);
    }
    const found = [
      ...(canaries.length === 0
        ? []
        : await tablesContaining(
            client,
            canaries.map((canary) => `%${canary}%`),
          )),
      ...logs.canaries,
      ...logs.credentials,
      ...logs.clinical,
      ...(canaries.length === 0
        ? []
        : await redisValuesContaining(
            process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
            process.env.QUEUE_PREFIX ?? 'unset',
            canaries,
          )),
    ];
    process.stdout.write(
      `${JSON.stringify({ canaries: canaries.length, logFiles: logs.files, logBytes: logs.bytes, found })}\n`,
    );
    return found.length === 0 ? 0 : 1;
  } finally {
    await client.end();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // The scan could not run (no log directory, no database): a failure, never a pass.
  process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exitCode = 1;
}
