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
 * trace) and in no Redis value of the run's queues. Prints one JSON line;
 * exits 1 when a canary is found anywhere.
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

function logFilesContaining(directory: string, canaries: string[]): { found: string[]; bytes: number } {
  const found: string[] = [];
  let bytes = 0;
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith('.log'));
  } catch {
    return { found, bytes };
  }
  for (const file of files) {
    const text = readFileSync(join(directory, file), 'utf8');
    bytes += text.length;
    text.split('\n').forEach((line, index) => {
      if (canaries.some((canary) => line.includes(canary))) found.push(`log ${file}:${index + 1}`);
    });
  }
  return { found, bytes };
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
    if (!present[0].ok || masterKey === undefined) {
      process.stdout.write(`${JSON.stringify({ canaries: 0, skipped: 'no psychotherapy notes table or key' })}\n`);
      return 0;
    }
    const envelope = new EnvelopeEncryption({
      id: process.env.MASTER_KEY_ID ?? 'k1',
      key: Buffer.from(masterKey, 'base64'),
    });
    const canaries = [...(await canariesInNotes(client, envelope))];
    if (canaries.length === 0) {
      process.stdout.write(`${JSON.stringify({ canaries: 0 })}\n`);
      return 0;
    }
    const logs = logFilesContaining(logDirectory ?? '', canaries);
    const found = [
      ...(await tablesContaining(
        client,
        canaries.map((canary) => `%${canary}%`),
      )),
      ...logs.found,
      ...(await redisValuesContaining(
        process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        process.env.QUEUE_PREFIX ?? 'unset',
        canaries,
      )),
    ];
    process.stdout.write(`${JSON.stringify({ canaries: canaries.length, logBytes: logs.bytes, found })}\n`);
    return found.length === 0 ? 0 : 1;
  } finally {
    await client.end();
  }
}

process.exitCode = await main();
