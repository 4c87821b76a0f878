/**
 * The embedded demo's PGlite server keeps each connection's extended-protocol
 * batch and transaction together (see demo-pglite-server.mjs).
 * Run: node --test scripts/demo-pglite-server.test.mjs   (demo-smoke.sh runs it too)
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { parse, serialize } from 'pg-protocol';

import { startPgliteServer } from './demo-pglite-server.mjs';

let db;
let server;
let url;

before(async () => {
  db = await PGlite.create();
  server = await startPgliteServer({ db, port: 0 });
  url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
});

after(async () => {
  await server?.stop();
  await db?.close();
});

/** A raw protocol connection: the test decides exactly when each message is sent. */
async function rawConnection() {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const messages = [];
  let notify = () => undefined;
  void parse(socket, (message) => {
    messages.push(message);
    notify();
  });
  const waitFor = async (name, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = messages.findIndex((message) => message.name === name);
      if (index >= 0) return messages.splice(0, index + 1);
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => {
        notify = resolve;
        setTimeout(resolve, 50);
      });
    }
  };
  socket.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
  assert.ok(await waitFor('readyForQuery'), 'startup completes');
  return { socket, waitFor };
}

test("a connection's Parse/Bind/Execute batch is not split by another connection's batch", async () => {
  const a = await rawConnection();
  const b = await rawConnection();

  // A parses a one-parameter statement and stops before Bind (pg sends Bind a moment later).
  a.socket.write(serialize.parse({ text: 'select $1::int + 1 as n', types: [] }));
  a.socket.write(serialize.flush());
  assert.ok(await a.waitFor('parseComplete'));

  // B sends a whole batch with a two-parameter statement: upstream pglite-socket runs it
  // now and overwrites A's unnamed statement; here it waits for A's Sync.
  b.socket.write(
    Buffer.concat([
      serialize.parse({ text: 'select $1::text || $2::text as s', types: [] }),
      serialize.bind({ values: ['x', 'y'] }),
      serialize.describe({ type: 'P' }),
      serialize.execute(),
      serialize.sync(),
    ]),
  );
  assert.equal(await b.waitFor('readyForQuery', 300), undefined, 'B waits while A is mid-batch');

  a.socket.write(
    Buffer.concat([
      serialize.bind({ values: ['41'] }),
      serialize.describe({ type: 'P' }),
      serialize.execute(),
      serialize.sync(),
    ]),
  );
  const fromA = await a.waitFor('readyForQuery');
  assert.ok(fromA);
  assert.equal(
    fromA.find((message) => message.name === 'error'),
    undefined,
    'A binds its own statement',
  );
  assert.deepEqual(fromA.find((message) => message.name === 'dataRow')?.fields, ['42']);

  const fromB = await b.waitFor('readyForQuery');
  assert.ok(fromB, 'B runs once A has synced');
  assert.deepEqual(fromB.find((message) => message.name === 'dataRow')?.fields, ['xy']);

  a.socket.destroy();
  b.socket.destroy();
});

test('a connection that closes mid-batch or mid-transaction leaves a clean session', async () => {
  const a = await rawConnection();
  a.socket.write(serialize.query('begin'));
  assert.ok(await a.waitFor('readyForQuery'));
  a.socket.write(serialize.query("select set_config('demo.leak', 'yes', true); create table leak_probe (x int)"));
  assert.ok(await a.waitFor('readyForQuery'));
  a.socket.write(serialize.parse({ text: 'select 1/0', types: [] }));
  a.socket.write(serialize.bind({ values: [] }));
  a.socket.write(serialize.execute());
  a.socket.write(serialize.flush());
  assert.ok(await a.waitFor('error'), 'the batch failed, so PostgreSQL now skips messages until Sync');
  a.socket.destroy();

  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Runs at all (no "current transaction is aborted"), outside A's transaction.
    const { rows } = await client.query(
      "select current_setting('demo.leak', true) as leak, to_regclass('leak_probe') as probe, $1::int as n",
      [7],
    );
    assert.equal(rows[0].n, 7);
    assert.notEqual(rows[0].leak, 'yes', "A's transaction-local setting is gone");
    assert.equal(rows[0].probe, null, "A's uncommitted table was rolled back");
  } finally {
    await client.end();
  }
});

test('concurrent pools get their own results and transaction-local settings', async () => {
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  let wrong = 0;
  await Promise.all(
    Array.from({ length: 12 }, async (_, worker) => {
      for (let i = 0; i < 40; i += 1) {
        if (worker % 2 === 0) {
          const client = await pool.connect();
          try {
            await client.query('begin');
            await client.query("select set_config('demo.clinic', $1, true)", [`c${worker}-${i}`]);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
            const { rows } = await client.query("select current_setting('demo.clinic', true) as clinic");
            await client.query('commit');
            if (rows[0].clinic !== `c${worker}-${i}`) wrong += 1;
          } finally {
            client.release();
          }
        } else {
          const { rows } = await pool.query('select $1::int * 2 as n, $2::text as tag, $3::text as more', [
            i,
            `w${worker}`,
            'z',
          ]);
          if (rows[0].n !== i * 2 || rows[0].tag !== `w${worker}`) wrong += 1;
        }
      }
    }),
  );
  await pool.end();
  assert.equal(wrong, 0);
});

test('a transaction that makes other connections wait is reported, and they run once it ends', async () => {
  const blocked = [];
  const watched = await startPgliteServer({ db, port: 0, blockedWarningMs: 200, onBlocked: (ms) => blocked.push(ms) });
  const watchedUrl = `postgres://postgres@127.0.0.1:${watched.port}/postgres`;
  const holder = new pg.Client({ connectionString: watchedUrl });
  const waiter = new pg.Client({ connectionString: watchedUrl });
  await holder.connect();
  await waiter.connect();
  try {
    await holder.query('begin');
    let waiterDone = false;
    const waiting = waiter.query('select 1 as one').then((result) => {
      waiterDone = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(waiterDone, false, 'the other connection waits for the transaction');
    assert.ok(blocked.length >= 1 && blocked[0] >= 200, 'the watchdog reported the wait');
    await holder.query('commit');
    assert.deepEqual((await waiting).rows, [{ one: 1 }]);
  } finally {
    await Promise.allSettled([holder.end(), waiter.end()]);
    await watched.stop();
  }
});
