import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createLogger } from '@mend/core';
import { testConfig } from '@mend/testing';

import { createApiApplication } from '../../../apps/api/src/bootstrap.js';

async function startApi(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const app = await createApiApplication(testConfig(overrides), createLogger('silent', 'test'));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function getHealth(app: NestFastifyApplication) {
  return app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health' });
}

async function eventually<T>(probe: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (isDone(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /health', () => {
  it('is 200 with the database, Redis, queues and outbox backlog when all are up', async () => {
    const app = await startApi();
    try {
      const response = await eventually(
        () => getHealth(app),
        (r) => r.statusCode === 200,
      );
      expect(response.statusCode).toBe(200);
      const report = response.json<{
        status: string;
        database: { status: string };
        redis: { status: string };
        queues: { name: string; waiting: number; oldestWaitingAgeSeconds: number | null }[];
        outbox: { pending: number };
      }>();
      expect(report.status).toBe('ok');
      expect(report.database.status).toBe('up');
      expect(report.redis.status).toBe('up');
      expect(report.queues.map((queue) => queue.name)).toContain('system');
      expect(report.queues[0]).toMatchObject({ waiting: 0, oldestWaitingAgeSeconds: null });
      expect(report.outbox.pending).toBeGreaterThanOrEqual(0);
    } finally {
      await app.close();
    }
  });

  it('is 503 naming the database when PostgreSQL is unreachable, without revealing the address', async () => {
    const app = await startApi({ DATABASE_URL: 'postgres://mend_test_app:x@127.0.0.1:1/nowhere' });
    try {
      const response = await getHealth(app);
      expect(response.statusCode).toBe(503);
      const report = response.json<{ status: string; failing: string[] }>();
      expect(report.status).toBe('unavailable');
      expect(report.failing).toEqual(['database']);
      expect(response.body).not.toContain('nowhere');
    } finally {
      await app.close();
    }
  });

  it('is 503 naming Redis when Redis is unreachable', async () => {
    const app = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await eventually(
        () => getHealth(app),
        (r) => r.json<{ database: { status: string } }>().database.status === 'up',
      );
      expect(response.statusCode).toBe(503);
      expect(response.json<{ failing: string[] }>().failing).toEqual(['redis']);
    } finally {
      await app.close();
    }
  });
});
