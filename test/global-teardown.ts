import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { Redis } from 'ioredis';

/** Drops this run's database and deletes its Redis keys (MEND_KEEP_TEST_DATABASE=true keeps them). */
export default async function globalTeardown(): Promise<void> {
  const database = process.env.MEND_TEST_DATABASE;
  if (database === undefined || process.env.MEND_TEST_OWNED !== 'true') return;
  process.env.MEND_TEST_OWNED = 'done';
  if (process.env.MEND_KEEP_TEST_DATABASE === 'true') return;
  const root = join(__dirname, '..');
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'test/support/prepare-test-database.ts'),
      'drop',
      process.env.DATABASE_ADMIN_URL ?? '',
      database,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.QUEUE_PREFIX ?? 'unset'}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
