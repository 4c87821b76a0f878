import { timingSafeEqual, createHash } from 'node:crypto';

import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { QUEUE_NAMES, QueueConnection, type MendConfig } from '@mend/core';

export const QUEUE_DASHBOARD_PATH = '/ops/queues';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time check of HTTP Basic credentials against the configured operator. */
export function isOperator(header: string | undefined, operator: { user: string; password: string }): boolean {
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(operator.user));
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(operator.password));
  return userOk && passwordOk;
}

/**
 * The queue dashboard (Bull Board) for PLATFORM OPERATORS only, at /ops/queues:
 * served only when QUEUE_DASHBOARD_USER and QUEUE_DASHBOARD_PASSWORD are set
 * and the queues run on Redis; HTTP Basic against those credentials (never a
 * clinic login: queues span every clinic). Read-only (no retry, clean or
 * delete); it shows job names, ids, states, times and attempts, never payloads
 * or return values (the formatters replace them), though payloads hold ids only anyway.
 * Answers whether it was mounted.
 */
export async function mountQueueDashboard(app: NestFastifyApplication, config: MendConfig): Promise<boolean> {
  const operator = config.queueDashboard;
  if (operator === undefined || config.queue.backend !== 'redis') return false;
  const queues = app.get(QueueConnection);
  const adapters = QUEUE_NAMES.map((name) => {
    const adapter = new BullMQAdapter(queues.queue(name), { readOnlyMode: true, allowRetries: false });
    adapter.setFormatter('data', () => ({ hidden: 'payloads are not shown' }));
    adapter.setFormatter('returnValue', () => ({ hidden: 'return values are not shown' }));
    return adapter;
  });
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: adapters,
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Mend queues (operators)' } },
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (!isOperator(request.headers.authorization, operator)) {
        await reply
          .code(401)
          .header('www-authenticate', 'Basic realm="mend-operators", charset="UTF-8"')
          .header('cache-control', 'no-store')
          .send();
      }
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
  });
  return true;
}
