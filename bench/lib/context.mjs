import { execFile, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { Redis } from 'ioredis';
import pg from 'pg';

import { sleep, waitFor } from './stats.mjs';

const execFileAsync = promisify(execFile);

/**
 * What a scenario gets: run settings, shared resources created once per run (the
 * scratch database, the migrated Mend database) and child processes, all torn
 * down by `cleanup()` in reverse order, also after a failure or Ctrl-C.
 */
export class BenchContext {
  constructor({ root, dist, quick, adminUrl, redisUrl, log }) {
    this.root = root;
    this.distDir = dist;
    this.quick = quick;
    this.adminUrl = adminUrl;
    this.redisUrl = redisUrl;
    this.log = log;
    this.runId = `${process.pid}`;
    this.databaseName = `mend_bench_${this.runId}`;
    // Every Redis key of this run starts with this; deleted at the end.
    this.queuePrefix = `mend-bench-${this.runId}`;
    this.settings = {
      connections: 50,
      httpDurationSec: quick ? 2 : 10,
      warmupSec: quick ? 1 : 3,
      /** …and on until the server has answered this many warm-up requests, at most `warmupMaxSec` in all (http-load.mjs). */
      warmupRequests: quick ? 1_000 : 3_000,
      warmupMaxSec: quick ? 2 : 15,
      /** Jobs per throughput phase (BullMQ and outbox alike). */
      jobCount: quick ? 2_000 : 20_000,
      /**
       * Paced rate for latency phases: far below either pipeline's throughput even on
       * a busy 2-core box, so the figure is latency, not queueing.
       */
      jobRatePerSec: 50,
      pacedSec: quick ? 3 : 10,
      /** Same as QueueConnection's default worker concurrency, so the raw baseline is comparable. */
      workerConcurrency: 10,
      logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    };
    this.tmpDir = mkdtempSync(join(tmpdir(), 'mend-bench-'));
    this.cleanups = [];
    this.shared = new Map();
    this.logFiles = new Map();
    /** Child processes by label (the latest of a label), for `stopNode`. */
    this.children = new Map();
  }

  /** Registers teardown work; run last-in first-out by `cleanup()`. */
  onCleanup(label, fn) {
    this.cleanups.push({ label, fn });
  }

  /** Keeps the children's logs (for a failed run, or BENCH_KEEP_LOGS=true) instead of deleting them. */
  keepLogs() {
    this.isKeepingLogs = true;
    return this.tmpDir;
  }

  async cleanup() {
    while (this.cleanups.length > 0) {
      const { label, fn } = this.cleanups.pop();
      try {
        await fn();
      } catch (error) {
        this.log(`cleanup of ${label} failed: ${error.message}`);
      }
    }
    if (!this.isKeepingLogs) rmSync(this.tmpDir, { recursive: true, force: true });
  }

  /** A resource built once per run and shared by every scenario that asks for it. */
  once(key, factory) {
    if (!this.shared.has(key)) this.shared.set(key, factory());
    return this.shared.get(key);
  }

  dist(relativePath) {
    return join(this.distDir, relativePath);
  }

  importDist(relativePath) {
    return import(pathToFileURL(this.dist(relativePath)).href);
  }

  /** `mend_bench_<pid>`, created by the admin role and dropped (forcefully) at the end. */
  scratchDatabase() {
    return this.once('scratch-database', async () => {
      await withClient(this.adminUrl, async (client) => {
        await client.query(`create database ${quoteIdent(this.databaseName)}`);
      });
      this.onCleanup('scratch database', () =>
        withClient(this.adminUrl, (client) =>
          client.query(`drop database if exists ${quoteIdent(this.databaseName)} with (force)`),
        ),
      );
      return { name: this.databaseName, adminUrl: urlWithDatabase(this.adminUrl, this.databaseName) };
    });
  }

  /**
   * The scratch database prepared exactly as an operator would: `npm run cli --
   * db:setup` (roles, ownership, grants) then `migrate` (the project's migrations,
   * as the owner role). Returns the runtime and owner URLs for the apps.
   */
  mendDatabase() {
    return this.once('mend-database', async () => {
      await this.scratchDatabase();
      const urls = {
        adminUrl: this.adminUrl,
        ownerUrl: roleUrl(this.adminUrl, process.env.DATABASE_OWNER_URL, 'mend_owner', this.databaseName),
        runtimeUrl: roleUrl(this.adminUrl, process.env.DATABASE_URL, 'mend_app', this.databaseName),
      };
      const env = {
        DATABASE_ADMIN_URL: urls.adminUrl,
        DATABASE_OWNER_URL: urls.ownerUrl,
        DATABASE_URL: urls.runtimeUrl,
      };
      await this.cli(['db:setup'], env);
      await this.cli(['migrate'], env);
      return urls;
    });
  }

  async cli(args, env) {
    const cliMain = this.dist('apps/cli/src/main.js');
    if (!existsSync(cliMain)) {
      throw new Error(
        `${cliMain} is missing: the bench prepares its database with "npm run cli -- db:setup" and "migrate" (run npm run build)`,
      );
    }
    try {
      const { stdout } = await execFileAsync(process.execPath, [cliMain, ...args], {
        cwd: this.root,
        env: { ...process.env, LOG_LEVEL: 'warn', ...env },
        timeout: 120_000,
      });
      return stdout;
    } catch (error) {
      throw new Error(
        `cli ${args.join(' ')} failed (exit ${error.code}):\n${tail(`${error.stdout ?? ''}${error.stderr ?? ''}`)}`,
        { cause: error },
      );
    }
  }

  /**
   * The built API (`node dist/apps/api/src/main.js`) on a free loopback port, against
   * the migrated bench database; one per run, shared by every scenario that loads it.
   * NODE_ENV=production: the API then runs as deployed (logging at LOG_LEVEL to a file).
   * `name` starts another instance (e.g. 'mend-api-2': same database, Redis and secrets,
   * its own port and log file), also one per run.
   */
  mendApi(name = 'mend-api') {
    return this.once(name, async () => {
      const urls = await this.mendDatabase();
      const port = await this.freePort();
      const child = await this.startNode(name, this.dist('apps/api/src/main.js'), {
        env: this.mendEnv(urls, { NODE_ENV: 'production', PORT: String(port) }),
        // e.g. BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (Node refuses --cpu-prof in NODE_OPTIONS).
        nodeArgs: (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      await this.waitForHttp(`${baseUrl}/health`, { label: name, child });
      return { baseUrl, child };
    });
  }

  /**
   * The built worker (`node dist/apps/worker/src/main.js`): its outbox relay and its
   * job handlers. NODE_ENV=test because the shared Redis here has neither AOF nor
   * noeviction, which the worker refuses in production (it only warns in test).
   */
  mendWorker() {
    return this.once('mend-worker', async () => {
      const urls = await this.mendDatabase();
      const main = this.dist('apps/worker/src/main.js');
      if (!existsSync(main)) throw new Error(`${main} is missing (run npm run build)`);
      const child = await this.startNode('mend-worker', main, { env: this.mendEnv(urls, { NODE_ENV: 'test' }) });
      return { child, isRunning: () => child.exitCode === null && child.signalCode === null };
    });
  }

  /** Environment for the built API and worker: this run's database, Redis and queue prefix, nothing else secret. */
  mendEnv(urls, extra = {}) {
    this.cleanRedisPrefixAtEnd();
    const env = { ...process.env };
    delete env.DATABASE_ADMIN_URL;
    delete env.DATABASE_OWNER_URL;
    return {
      ...env,
      TZ: 'UTC',
      HOST: '127.0.0.1',
      LOG_LEVEL: this.settings.logLevel,
      DATABASE_URL: urls.runtimeUrl,
      REDIS_URL: this.redisUrl,
      QUEUE_BACKEND: 'redis',
      QUEUE_PREFIX: this.queuePrefix,
      MEND_DEMO: 'false',
      // The API refuses to start without them; a run makes its own unless the caller set them.
      JWT_SECRET: process.env.JWT_SECRET || this.runSecret('jwt', 48),
      MASTER_KEY: process.env.MASTER_KEY || this.runSecret('master', 32),
      ...extra,
    };
  }

  /** Random base64 bytes, the same for every child of this run (the API and worker share keys). */
  runSecret(label, bytes) {
    return this.once(`secret-${label}`, () => randomBytes(bytes).toString('base64'));
  }

  /** Deletes every Redis key of this run's prefix (BullMQ queues of the apps and of the baselines). */
  cleanRedisPrefixAtEnd() {
    return this.once('redis-prefix-cleanup', () => {
      this.onCleanup('redis keys', () => deleteRedisPrefix(this.redisUrl, `${this.queuePrefix}*`));
    });
  }

  async freePort() {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  }

  /**
   * Starts a Node script whose output goes to a log file (never through a pipe to
   * this process: reading thousands of log lines a second would steal CPU from the
   * load generator). With `ipc`, resolves on the child's first message.
   */
  async startNode(label, script, { env = process.env, args = [], nodeArgs = [], ipc = false } = {}) {
    const logPath = join(this.tmpDir, `${label}.log`);
    const fd = openSync(logPath, 'a');
    this.logFiles.set(label, logPath);
    const options = { cwd: this.root, env, stdio: ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd] };
    const child = ipc
      ? fork(script, args, { ...options, execArgv: nodeArgs })
      : spawn(process.execPath, [...nodeArgs, script, ...args], options);
    closeSync(fd);
    this.children.set(label, child);
    let exited = false;
    const exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        exited = true;
        resolve({ code, signal });
      }),
    );
    child.exitPromise = exit;
    this.onCleanup(label, async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    });
    if (!ipc) return child;
    const message = await Promise.race([
      new Promise((resolve) => child.once('message', resolve)),
      exit.then(({ code, signal }) => {
        throw new Error(`${label} exited (${signal ?? code}) before it was ready:\n${this.logTail(label)}`);
      }),
    ]);
    return Object.assign(child, { ready: message });
  }

  /** Stops the running child of `label` (SIGTERM, waits for its exit); false when there is none. */
  async stopNode(label) {
    const child = this.children.get(label);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return false;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child.exitPromise;
    clearTimeout(timer);
    return true;
  }

  logTail(label) {
    const path = this.logFiles.get(label);
    return path !== undefined && existsSync(path) ? tail(readFileSync(path, 'utf8')) : '(no log)';
  }

  /** Waits until an HTTP endpoint answers 200 (or fails with the child's log). */
  async waitForHttp(url, { label, child, timeoutMs = 60_000 }) {
    let lastStatus = 'no answer';
    await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${label} exited (${child.signalCode ?? child.exitCode}):\n${this.logTail(label)}`);
        }
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
          lastStatus = `HTTP ${response.status}`;
          await response.arrayBuffer();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      {
        timeoutMs,
        intervalMs: 200,
        message: () => `${label} did not answer 200 on ${url} (${lastStatus}):\n${this.logTail(label)}`,
      },
    );
  }
}

/** Runs `work` with one connected pg client, always closed afterwards. */
export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function urlWithDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * A role's URL on the admin URL's server for the bench database: the user and
 * password of the configured URL when there is one (servers that need passwords),
 * else the project's default role name with no password (trust auth here).
 */
function roleUrl(adminUrl, configuredUrl, defaultUser, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (configuredUrl !== undefined && configuredUrl.trim() !== '') {
    const configured = new URL(configuredUrl);
    url.username = configured.username;
    url.password = configured.password;
  } else {
    url.username = defaultUser;
    url.password = '';
  }
  return url.toString();
}

function quoteIdent(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected identifier ${name}`);
  return `"${name}"`;
}

async function deleteRedisPrefix(redisUrl, pattern) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function tail(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export { sleep };
