#!/usr/bin/env node
/**
 * `npm run demo`: builds if needed, prepares a database, seeds a demo clinic and
 * runs the API and the worker until Ctrl-C.
 *
 * - No DATABASE_* / REDIS_URL set: the embedded default (STACK.md, "Running with
 *   no database server"). This process hosts PGlite (PostgreSQL in WebAssembly,
 *   data in .mend-demo/pgdata) on a free loopback port (pglite-socket's
 *   protocol handler with our own scheduler, see demo-pglite-server.mjs), and
 *   the API and worker reach it with their normal `pg` driver; BullMQ runs on
 *   its PostgreSQL backend in the same database.
 * - REDIS_URL plus DATABASE_ADMIN_URL: roles and a `mend_demo` database are
 *   created on that server (`cli db:setup`), then the same steps.
 * - REDIS_URL plus DATABASE_URL and DATABASE_OWNER_URL: used as they are.
 *
 * Flags: --reset deletes .mend-demo/ first (and, with DATABASE_ADMIN_URL, the
 * `mend_demo` database and the demo's Redis keys); --help.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = join(root, '.mend-demo');
const dataDir = join(demoDir, 'pgdata');
const masterKeyFile = join(demoDir, 'master.key');
const jwtSecretFile = join(demoDir, 'jwt.secret');
// The demo's synthetic users share one documented password (README), so a newcomer can sign in;
// MEND_DEMO_PASSWORD overrides it. The demo listens on loopback and holds synthetic data only.
const DEFAULT_DEMO_PASSWORD = 'harbour-demo-2026';
const rolesFile = join(demoDir, 'server-roles.json');
const pidFile = join(demoDir, 'demo.pid');
const distMain = (app) => join(root, 'dist', 'apps', app, 'src', 'main.js');

const DEMO_DATABASE = 'mend_demo';
const DEMO_OWNER_ROLE = 'mend_demo_owner';
const DEMO_RUNTIME_ROLE = 'mend_demo_app';
const DEMO_QUEUE_PREFIX = 'mend-demo';
const HEALTH_TIMEOUT_MS = 120_000;
/** The API and worker get SHUTDOWN_GRACE_MS (default 25 s) to drain; then they are killed. */
const CHILD_STOP_TIMEOUT_MS = Number(process.env.SHUTDOWN_GRACE_MS || 25_000) + 5_000;
const EMBEDDED_POOL_SIZE = '3';

const say = (line) => process.stdout.write(`[demo] ${line}\n`);
const fail = (line) => {
  process.stderr.write(`[demo] ${line}\n`);
  process.exit(1);
};

// ---------------------------------------------------------------- arguments

const USAGE = `Usage: npm run demo [-- --reset]

Runs Mend with a seeded demo clinic at http://localhost:$PORT (default 3000).
  --reset   delete the demo data (.mend-demo/) and start from scratch
  --help    this text

With no DATABASE_URL, DATABASE_OWNER_URL, DATABASE_ADMIN_URL or REDIS_URL set it
runs on an embedded PostgreSQL (PGlite) kept in .mend-demo/. To use real
servers set REDIS_URL and either DATABASE_ADMIN_URL (the demo creates its own
roles and a "${DEMO_DATABASE}" database) or both DATABASE_URL and DATABASE_OWNER_URL.`;

const args = process.argv.slice(2);
for (const arg of args) {
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (arg !== '--reset') {
    process.stderr.write(`Unknown option "${arg}".\n\n${USAGE}\n`);
    process.exit(2);
  }
}
const isReset = args.includes('--reset');

// ---------------------------------------------------------------- mode

const setting = (name) => {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

/** Decides embedded or real servers from the environment; exits naming what is missing. */
function chooseMode() {
  const redisUrl = setting('REDIS_URL');
  const adminUrl = setting('DATABASE_ADMIN_URL');
  const runtimeUrl = setting('DATABASE_URL');
  const ownerUrl = setting('DATABASE_OWNER_URL');
  if (!redisUrl && !adminUrl && !runtimeUrl && !ownerUrl) return { kind: 'embedded' };

  const missing = [];
  if (!redisUrl) missing.push('REDIS_URL');
  if (adminUrl) {
    // With the admin URL the demo derives both; given one, it needs the other.
    if (runtimeUrl && !ownerUrl) missing.push('DATABASE_OWNER_URL (or unset DATABASE_URL)');
    if (ownerUrl && !runtimeUrl) missing.push('DATABASE_URL (or unset DATABASE_OWNER_URL)');
  } else if (!runtimeUrl && !ownerUrl) {
    missing.push('DATABASE_ADMIN_URL (or both DATABASE_URL and DATABASE_OWNER_URL)');
  } else if (!ownerUrl) {
    missing.push('DATABASE_OWNER_URL (or DATABASE_ADMIN_URL instead)');
  } else if (!runtimeUrl) {
    missing.push('DATABASE_URL (or DATABASE_ADMIN_URL instead)');
  }
  if (missing.length > 0) {
    fail(
      `Real servers are partly configured; missing ${missing.join(' and ')}. ` +
        'Set them, or unset DATABASE_URL, DATABASE_OWNER_URL, DATABASE_ADMIN_URL and REDIS_URL for the embedded demo.',
    );
  }
  return { kind: 'servers', redisUrl, adminUrl, runtimeUrl, ownerUrl };
}

// ---------------------------------------------------------------- build

const SOURCE_ROOTS = ['apps', 'libs', 'migrations'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json'];

function newestSourceMtime() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return;
    if (stat.isDirectory()) {
      const name = relative(root, path);
      // libs/testing and apps/web are not part of dist/ (tsconfig.build.json).
      if (name === join('libs', 'testing') || name === join('apps', 'web') || path.endsWith('node_modules')) return;
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if ((path.endsWith('.ts') && !path.endsWith('.spec.ts')) || SOURCE_FILES.includes(relative(root, path))) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_ROOTS) visit(join(root, dir));
  for (const file of SOURCE_FILES) visit(join(root, file));
  return newest;
}

/** Why dist/ needs building, or undefined when it is up to date. */
function buildReason() {
  const apps = ['api', 'worker', 'cli'].filter((app) => existsSync(join(root, 'apps', app, 'src', 'main.ts')));
  const outputs = apps.map((app) => statSync(distMain(app), { throwIfNoEntry: false }));
  if (outputs.some((stat) => stat === undefined)) return 'dist/ is missing';
  const built = Math.min(...outputs.map((stat) => stat.mtimeMs));
  if (newestSourceMtime() > built) return 'sources changed since the last build';
  return webBuildReason();
}

/** The web app (apps/web, served by the API at /): built into dist/apps/web. */
function webBuildReason() {
  if (!existsSync(join(root, 'apps', 'web', 'package.json'))) return undefined;
  const index = statSync(join(root, 'dist', 'apps', 'web', 'index.html'), { throwIfNoEntry: false });
  if (index === undefined) return 'the web app is not built yet';
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return;
    if (stat.isDirectory()) {
      if (path.endsWith('generated') || path.endsWith('node_modules')) return;
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const part of ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'])
    visit(join(root, 'apps', 'web', part));
  return newest > index.mtimeMs ? 'the web app changed since the last build' : undefined;
}

// ---------------------------------------------------------------- processes

/** Long-running children (API, worker) and one-shot ones (build, CLI), for shutdown. */
const children = new Set();
let isStopping = false;

/** Runs a command to completion; resolves with its output, rejects with it on failure. */
function run(command, commandArgs, { env = process.env, label, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: root,
      env,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    children.add(child);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve(output);
      else if (!isStopping)
        reject(Object.assign(new Error(`${label} failed (${signal ?? `exit code ${code}`})`), { output }));
    });
  });
}

const cli = (command, env, extraArgs = []) =>
  run(process.execPath, [distMain('cli'), command, ...extraArgs], { env, label: `cli ${command}`, quiet: true });

/**
 * Starts a long-running app. Detached (its own process group) so that Ctrl-C
 * reaches only this script, which then stops the apps in order with one
 * SIGTERM each; their output is prefixed with the app's name. The preloaded
 * guard stops an app whose demo process was killed outright.
 */
function startApp(name, env, onUnexpectedExit) {
  const guard = join(root, 'scripts', 'demo-child-guard.mjs');
  const child = spawn(process.execPath, ['--import', pathToFileURL(guard).href, distMain(name)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!isStopping) onUnexpectedExit(name, code, signal);
  });
  return child;
}

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// ---------------------------------------------------------------- helpers

function assertPortFree(port, host) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is in use; choose another one, e.g. PORT=${port + 1} npm run demo`
            : `Cannot listen on ${host}:${port} (${error.code})`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function readOrCreateSecretFile(path, create) {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = create();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/** One demo per data folder: two PGlite instances on one data directory would corrupt it. */
function takeLock() {
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    let isAlive = false;
    try {
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        process.kill(pid, 0);
        isAlive = true;
      }
    } catch (error) {
      isAlive = error.code === 'EPERM';
    }
    if (isAlive) fail(`Another demo is running from this folder (pid ${pid}); stop it first.`);
  }
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
}

function releaseLock() {
  try {
    if (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(pidFile);
  } catch {
    // Best effort: a stale file names a dead pid, which takeLock ignores.
  }
}

async function waitForHealth(url, deadline) {
  let lastStatus = 'no answer';
  while (Date.now() < deadline && !isStopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.status === 200) return;
      lastStatus = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch {
      lastStatus = 'no answer';
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!isStopping)
    throw new Error(`The API did not report healthy within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${lastStatus})`);
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function withUser(url, user, password, database) {
  const parsed = new URL(withDatabase(url, database));
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

// ---------------------------------------------------------------- database preparation

/** State the shutdown path closes. */
const embedded = { db: undefined, server: undefined };

async function startEmbeddedDatabase() {
  const [{ PGlite }, { btree_gist }, { startPgliteServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    // The sessions migration's no-double-booking exclusion constraint needs btree_gist (bundled with PGlite).
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('./demo-pglite-server.mjs'),
  ]);
  const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
  say(
    `${isNew ? 'Creating' : 'Opening'} the embedded PostgreSQL (PGlite) in ${relative(process.cwd(), dataDir) || dataDir}`,
  );
  try {
    embedded.db = await PGlite.create({ dataDir, extensions: { btree_gist } });
  } catch (error) {
    // E.g. a data folder written by another PGlite version, or left broken by a killed demo.
    throw new Error(
      `Cannot open the demo database in .mend-demo/pgdata (${error.message}); \`npm run demo -- --reset\` starts over`,
      { cause: error },
    );
  }
  // Migrations grant to this NOLOGIN group; on a real server db:setup creates it.
  await embedded.db.exec(`
    do $$ begin
      if not exists (select from pg_roles where rolname = 'mend_runtime') then create role mend_runtime nologin; end if;
    end $$;`);
  // Port 0: the OS picks a free port, so a real PostgreSQL on 5432 is never touched.
  embedded.server = await startPgliteServer({
    db: embedded.db,
    host: '127.0.0.1',
    port: 0,
    onBlocked: (ms) =>
      process.stderr.write(
        `[demo] Warning: one connection has held the embedded database for ${Math.round(ms / 1000)} s while others wait ` +
          '(a transaction waiting on another connection never ends on PGlite).\n',
      ),
  });
  return `postgres://postgres@127.0.0.1:${embedded.server.port}/postgres`;
}

/** BullMQ's PostgreSQL backend keeps its own schema version; `schema: 'public'` (see QueueConnection). */
async function migrateQueueBackend(url) {
  const [{ default: pg }, { runMigrations }] = await Promise.all([import('pg'), import('bullmq')]);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await runMigrations(client, 'public');
  } finally {
    await client.end();
  }
}

async function resetServerDatabase(adminUrl, redisUrl) {
  const [{ default: pg }, { Redis }] = await Promise.all([import('pg'), import('ioredis')]);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`drop database if exists ${DEMO_DATABASE} with (force)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${DEMO_QUEUE_PREFIX}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
    say(`Reset: dropped database ${DEMO_DATABASE} and ${removed} Redis key(s) under "${DEMO_QUEUE_PREFIX}:"`);
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------- main

let exitCode = 0;

async function stop(code, message) {
  if (isStopping) return;
  isStopping = true;
  exitCode = code;
  if (message !== undefined) (code === 0 ? say : (line) => process.stderr.write(`[demo] ${line}\n`))(message);
  const running = [...children];
  for (const child of running) {
    try {
      child.kill('SIGTERM');
    } catch {
      // Already gone.
    }
  }
  const exited = await Promise.all(running.map((child) => waitForExit(child, CHILD_STOP_TIMEOUT_MS)));
  running.forEach((child, index) => {
    if (!exited[index]) child.kill('SIGKILL');
  });
  try {
    await embedded.server?.stop();
    // close() writes PGlite's state to the data folder; without it the last changes may be lost.
    await embedded.db?.close();
  } catch (error) {
    process.stderr.write(`[demo] Closing the embedded database failed: ${error.message}\n`);
    exitCode = exitCode || 1;
  }
  releaseLock();
  if (code === 0) say('Stopped.');
  process.exit(exitCode);
}

// Repeated signals are expected (the terminal and `npm run` both deliver Ctrl-C); one stop is enough.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => void stop(0, isStopping ? undefined : 'Stopping the API and the worker…'));
}
process.on('exit', () => {
  // Last resort (a crash in this script): never leave the apps running detached.
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  releaseLock();
});

async function main() {
  const startedAt = Date.now();
  const mode = chooseMode();
  const port = Number(setting('PORT') ?? '3000');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    fail(`PORT must be a whole number from 1 to 65535 (got "${setting('PORT')}")`);
  const host = setting('HOST') ?? '127.0.0.1';
  const probeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  if (isReset) {
    if (existsSync(pidFile)) takeLock(); // refuses while another demo uses the folder
    rmSync(demoDir, { recursive: true, force: true });
    say('Reset: deleted .mend-demo/');
  }
  mkdirSync(demoDir, { recursive: true, mode: 0o700 });
  takeLock();
  await assertPortFree(port, host);

  const reason = buildReason();
  if (reason !== undefined) {
    say(`Building (${reason})…`);
    await run('npm', ['run', 'build', '--silent'], { label: 'npm run build' });
  }
  if (!existsSync(distMain('api')) || !existsSync(distMain('cli'))) {
    throw new Error('The build produced no dist/apps/api or dist/apps/cli; run `npm run build` and read its errors');
  }

  const masterKey =
    setting('MASTER_KEY') ?? readOrCreateSecretFile(masterKeyFile, () => randomBytes(32).toString('base64'));
  if (existsSync(masterKeyFile)) chmodSync(masterKeyFile, 0o600);
  // Signs access tokens; kept so that a restarted demo does not sign everyone out.
  const jwtSecret =
    setting('JWT_SECRET') ?? readOrCreateSecretFile(jwtSecretFile, () => randomBytes(48).toString('base64'));
  // One synthetic password for every demo user, printed below; seed:demo sets it on each run.
  const demoPassword = process.env.MEND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;

  const base = {
    ...process.env,
    NODE_ENV: 'development',
    MEND_DEMO: 'true',
    PORT: String(port),
    HOST: host,
    MASTER_KEY: masterKey,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: setting('LOG_LEVEL') ?? 'warn',
  };
  let cliEnv;
  let appEnv;
  let notes;

  if (mode.kind === 'embedded') {
    const url = await startEmbeddedDatabase();
    const embeddedEnv = {
      ...base,
      DATABASE_URL: url,
      DATABASE_OWNER_URL: url,
      QUEUE_BACKEND: 'postgres',
      // Every connection waits while another holds a transaction; small pools keep that short.
      DATABASE_POOL_SIZE: setting('DATABASE_POOL_SIZE') ?? EMBEDDED_POOL_SIZE,
    };
    delete embeddedEnv.DATABASE_ADMIN_URL;
    delete embeddedEnv.REDIS_URL;
    cliEnv = embeddedEnv;
    appEnv = embeddedEnv;
    notes = [
      `Data:      ${relative(process.cwd(), demoDir) || demoDir}/ (embedded PostgreSQL; \`npm run demo -- --reset\` starts over)`,
      'Note:      PGlite runs as one superuser, so row-level security is NOT exercised in the embedded demo;',
      "           the tests cover it on a real PostgreSQL. Queues run on BullMQ's PostgreSQL backend.",
    ];
  } else {
    let { runtimeUrl, ownerUrl } = mode;
    if (mode.adminUrl && !runtimeUrl) {
      const roles = JSON.parse(
        readOrCreateSecretFile(rolesFile, () =>
          JSON.stringify({
            ownerPassword: randomBytes(18).toString('hex'),
            runtimePassword: randomBytes(18).toString('hex'),
          }),
        ),
      );
      ownerUrl = withUser(mode.adminUrl, DEMO_OWNER_ROLE, roles.ownerPassword, DEMO_DATABASE);
      runtimeUrl = withUser(mode.adminUrl, DEMO_RUNTIME_ROLE, roles.runtimePassword, DEMO_DATABASE);
      if (isReset) await resetServerDatabase(mode.adminUrl, mode.redisUrl);
    } else if (isReset) {
      say('Reset: your DATABASE_URL database and Redis were left alone (only .mend-demo/ was deleted)');
    }
    const serverEnv = {
      ...base,
      DATABASE_URL: runtimeUrl,
      DATABASE_OWNER_URL: ownerUrl,
      REDIS_URL: mode.redisUrl,
      QUEUE_BACKEND: 'redis',
      QUEUE_PREFIX: setting('QUEUE_PREFIX') ?? DEMO_QUEUE_PREFIX,
    };
    delete serverEnv.DATABASE_ADMIN_URL;
    cliEnv = serverEnv;
    // The apps get the runtime role only: never the owner or the admin URL.
    appEnv = { ...serverEnv };
    delete appEnv.DATABASE_OWNER_URL;
    if (mode.adminUrl) {
      say(`Setting up roles and the database on ${new URL(runtimeUrl).host}…`);
      await cli('db:setup', { ...serverEnv, DATABASE_ADMIN_URL: mode.adminUrl });
    }
    const databaseName = decodeURIComponent(new URL(runtimeUrl).pathname.slice(1));
    notes = [
      `Data:      PostgreSQL database "${databaseName}" on ${new URL(runtimeUrl).host}, Redis keys under "${serverEnv.QUEUE_PREFIX}:"`,
    ];
  }

  say('Applying migrations…');
  const [migrated] = await Promise.all([
    cli('migrate', cliEnv),
    mode.kind === 'embedded' ? migrateQueueBackend(cliEnv.DATABASE_OWNER_URL) : undefined,
  ]);
  say(`  ${migrated.trim().split('\n').pop()}`);

  // Seeding and the apps' start overlap: the apps need the schema, not the demo clinic.
  const onUnexpectedExit = (name, code, signal) =>
    void stop(1, `The ${name} exited unexpectedly (${signal ?? `exit code ${code}`}); stopping the demo.`);
  const hasWorker = existsSync(distMain('worker'));
  say(`Seeding the demo clinic and starting the API${hasWorker ? ' and the worker' : ''}…`);
  const seeding = cli('seed:demo', cliEnv, ['--password', demoPassword]);
  startApp('api', appEnv, onUnexpectedExit);
  if (hasWorker) startApp('worker', appEnv, onUnexpectedExit);
  const [seeded] = await Promise.all([
    seeding,
    waitForHealth(
      `http://${probeHost.includes(':') ? `[${probeHost}]` : probeHost}:${port}/health`,
      Date.now() + HEALTH_TIMEOUT_MS,
    ),
  ]);
  if (isStopping) return;
  const clinicLine =
    seeded
      .split('\n')
      .find((line) => line.startsWith('Demo clinic:'))
      ?.replace(/ already seeded$/, '') ?? seeded.trim();
  const userLines = seeded.split('\n').filter((line) => /^Demo (users|password|sign-in)/.test(line));

  const url = `http://localhost:${port}`;
  process.stdout.write(
    [
      '',
      `  Mend demo ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
      '',
      `  App:       ${url}`,
      `  API docs:  ${url}/api/docs`,
      `  Health:    ${url}/health`,
      `  ${clinicLine}`,
      ...userLines.map((line) => `  ${line}`),
      ...notes.map((line) => `  ${line}`),
      ...(hasWorker ? [] : ['  Worker:    not built yet (dist/apps/worker/src/main.js is missing): jobs stay queued']),
      `  Logs:      level ${base.LOG_LEVEL} (LOG_LEVEL=info npm run demo for every request)`,
      '',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((error) => {
  if (error.output) process.stderr.write(error.output.endsWith('\n') ? error.output : `${error.output}\n`);
  void stop(1, error.message);
});
