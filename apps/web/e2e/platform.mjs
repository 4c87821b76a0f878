/**
 * Starts the real platform for the browser tests: a fresh PostgreSQL database
 * (roles, every migration) on the local server, the demo clinic seeded through the
 * CLI (`seed:demo`: synthetic people and a couple case), the compiled API (serving
 * the built web app at /) and the worker on a free port, with Redis queues under a
 * prefix of their own. Staff need their second factor (not the embedded demo).
 *
 * Used by run.mjs; `node apps/web/e2e/platform.mjs` alone starts it and keeps it
 * running until Ctrl-C (to click through by hand on the printed URL).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dist = (app) => join(repoRoot, 'dist', 'apps', app, 'src', 'main.js');

/** The password of every seeded demo user in the browser tests (synthetic). */
export const DEMO_PASSWORD = 'harbour-demo-2026';

const say = (line) => process.stdout.write(`[platform] ${line}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function withCredentials(adminUrl, user, password, database) {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

function cli(args, env) {
  const result = spawnSync(process.execPath, [dist('cli'), ...args], { cwd: repoRoot, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`cli ${args[0]} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) before it was healthy`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the API was not healthy within ${timeoutMs / 1000} s`);
}

/** The newest modification time of the files under these paths (generated code and node_modules left out). */
function newestSource(paths) {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return;
    if (stat.isDirectory()) {
      if (path.endsWith('generated') || path.endsWith('node_modules')) return;
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(join(repoRoot, path));
  return newest;
}

const WEB_SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'].map((part) => join('apps', 'web', part));
const SERVER_SOURCES = ['apps/api/src', 'apps/worker/src', 'apps/cli/src', 'libs', 'migrations'];

/**
 * Builds dist/ (API, worker, CLI and the web app) when it is missing or older
 * than the server's sources, and the web app alone when only its sources
 * changed since (the API serves dist/apps/web).
 */
export function ensureBuilt() {
  const built = statSync(dist('cli'), { throwIfNoEntry: false });
  const serverFresh =
    built !== undefined &&
    existsSync(dist('api')) &&
    existsSync(dist('worker')) &&
    built.mtimeMs >= newestSource(SERVER_SOURCES);
  if (serverFresh) {
    const index = statSync(join(repoRoot, 'dist', 'apps', 'web', 'index.html'), { throwIfNoEntry: false });
    if (index !== undefined && index.mtimeMs >= newestSource(WEB_SOURCES)) return;
    say(`Building the web app (${index === undefined ? 'dist/apps/web is missing' : 'its sources changed'})…`);
    const web = spawnSync('npm', ['run', '--silent', 'build', '--workspace', 'apps/web'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (web.status !== 0) throw new Error('the web build failed');
    return;
  }
  say(`Building (${built === undefined ? 'dist/ is missing' : 'the server sources changed'})…`);
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

/**
 * Starts everything; resolves with the base URL, the environment the apps got
 * (the tests reuse it for API calls and the CLI) and stop().
 */
export async function startPlatform({ log = false } = {}) {
  ensureBuilt();
  const adminUrl = process.env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `mend_browser_${id}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATABASE_ADMIN_URL: adminUrl,
    DATABASE_OWNER_URL: withCredentials(adminUrl, 'mend_browser_owner', 'mend_browser_owner', database),
    DATABASE_URL: withCredentials(adminUrl, 'mend_browser_app', 'mend_browser_app', database),
    REDIS_URL: redisUrl,
    QUEUE_BACKEND: 'redis',
    QUEUE_PREFIX: `mend-browser-${id}`,
    JWT_SECRET: randomBytes(48).toString('base64'),
    MASTER_KEY: randomBytes(32).toString('base64'),
    // The production hash profile makes every sign-in take ~0.5 s on this box; the tests sign in often.
    PASSWORD_HASH_PROFILE: 'test',
  };
  delete env.MEND_DEMO;

  const children = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const child of children) {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    await dropEverything(adminUrl, database, redisUrl, env.QUEUE_PREFIX).catch((error) =>
      say(`cleanup: ${error.message}`),
    );
  };

  try {
    say(`Database ${database}: roles, migrations, demo clinic…`);
    const appEnv = { ...env };
    delete appEnv.DATABASE_ADMIN_URL;
    cli(['db:setup'], env);
    cli(['migrate'], env);
    const seeded = cli(['seed:demo', '--password', DEMO_PASSWORD], env);
    const clinicId = /\(([0-9a-f-]{36})\)/.exec(seeded)?.[1];

    const start = (app) => {
      const child = spawn(process.execPath, [dist(app)], {
        cwd: repoRoot,
        env: { ...appEnv, DATABASE_OWNER_URL: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const prefix = `[${app}] `;
      const forward = (chunk) => {
        if (log) process.stdout.write(String(chunk).replace(/^(?=.)/gm, prefix));
      };
      child.stdout.on('data', forward);
      child.stderr.on('data', (chunk) => process.stderr.write(String(chunk).replace(/^(?=.)/gm, prefix)));
      children.push(child);
      return child;
    };
    const api = start('api');
    start('worker');
    await waitForHealth(`${baseUrl}/health`, api, 90_000);
    say(`API and worker up at ${baseUrl}`);
    return { baseUrl, env, database, clinicId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function dropEverything(adminUrl, database, redisUrl, prefix) {
  const [{ default: pg }, { Redis }] = await Promise.all([import('pg'), import('ioredis')]);
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`drop database if exists ${database} with (force)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

// `node apps/web/e2e/platform.mjs`: start it and keep it up for manual testing.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const platform = await startPlatform({ log: true });
  say(`Open ${platform.baseUrl}  (demo users: *@demo.mend.example, password ${DEMO_PASSWORD}; Ctrl-C stops)`);
  const shutdown = () => void platform.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
