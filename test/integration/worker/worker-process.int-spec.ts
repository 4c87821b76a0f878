import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRedisClient, JOB_DEFINITIONS } from '@mend/core';
import { testEnvironment } from '@mend/testing';

import { createOwnDatabase, type OwnDatabase } from './support/own-database.js';
import { spawnTypeScript } from './support/typescript-child.js';

/** The worker as a process: refusals (one line on stderr, exit 1) and a clean SIGTERM (exit 0). */
describe('worker process', () => {
  let database: OwnDatabase;
  let environment: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createOwnDatabase('process');
    environment = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.runtimeUrl,
      REDIS_URL: testEnvironment().redisUrl,
      QUEUE_PREFIX: `${testEnvironment().queuePrefix}-process`,
      SHUTDOWN_GRACE_MS: '5000',
    };
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  }, 60_000);

  it.each([
    [
      'a declared job has no handler',
      'none',
      // Every declared job, in declaration order.
      `Worker refuses to start: ${Object.keys(JOB_DEFINITIONS)
        .map((name) => `job "${name}" has no handler`)
        .join('; ')}.`,
    ],
    [
      'a job has two handlers',
      'duplicate',
      'Worker refuses to start: job "system.probe" has 2 handlers (SystemProbeHandler, SecondProbeHandler).',
    ],
    [
      'a handler names an undeclared job',
      'undeclared',
      'Worker refuses to start: RetiredJobHandler handles "system.retired", which is not declared in JOB_DEFINITIONS.',
    ],
  ])(
    'refuses to start when %s',
    async (_label, handlerSet, message) => {
      const child = spawnTypeScript('test/integration/worker/support/worker-handlers.child.ts', {
        ...environment,
        WORKER_HANDLER_SET: handlerSet,
      });
      expect(await child.exited).toEqual({ code: 1, signal: null });
      expect(child.stderr()).toBe(`${message}\n`);
      expect(child.stdout()).not.toContain('Worker started');
    },
    60_000,
  );

  it('starts with every handler, and on SIGTERM stops cleanly with exit code 0', async () => {
    const child = spawnTypeScript('apps/worker/src/main.ts', environment);
    await child.waitForLine(/"msg":"Worker started"/, 60_000);
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stdout()).toMatch(/"msg":"Worker stopped"/);
    expect(child.stderr()).toBe('');
  }, 60_000);

  describe('with a Redis that may evict keys and has no AOF', () => {
    let redis: ChildProcess;
    let redisUrl: string;
    let directory: string;

    beforeAll(async () => {
      const port = await freePort();
      directory = mkdtempSync(join(tmpdir(), 'mend-redis-'));
      redis = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'allkeys-lru',
          '--dir',
          directory,
        ],
        { stdio: 'ignore' },
      );
      redisUrl = `redis://127.0.0.1:${port}`;
      const client = createRedisClient(redisUrl);
      try {
        await client.ping();
      } finally {
        client.disconnect();
      }
    }, 30_000);

    afterAll(() => {
      redis?.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    });

    it('refuses to start in production, naming both settings', async () => {
      const child = spawnTypeScript('apps/worker/src/main.ts', {
        ...environment,
        NODE_ENV: 'production',
        REDIS_URL: redisUrl,
      });
      expect(await child.exited).toEqual({ code: 1, signal: null });
      expect(child.stderr()).toBe(
        'Worker refuses to start: Redis is not safe for queues: maxmemory-policy is "allkeys-lru", not noeviction and ' +
          'appendonly is "no", not yes (set maxmemory-policy noeviction and appendonly yes; see the README, Scaling).\n',
      );
    }, 60_000);

    it('only warns outside production', async () => {
      const child = spawnTypeScript('apps/worker/src/main.ts', { ...environment, REDIS_URL: redisUrl });
      await child.waitForLine(/"msg":"Worker started"/, 60_000);
      child.process.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(child.stdout()).toMatch(
        /"level":40,.*"msg":"Redis is not safe for queues: maxmemory-policy is \\"allkeys-lru\\"/,
      );
    }, 60_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
