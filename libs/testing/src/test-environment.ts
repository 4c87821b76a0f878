import { randomBytes } from 'node:crypto';

import { loadConfig, type MendConfig } from '@mend/core';

/** Settings published by test/global-setup.ts for this run. */
export interface TestEnvironment {
  readonly adminUrl: string;
  readonly ownerUrl: string;
  readonly runtimeUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly database: string;
}

export function testEnvironment(): TestEnvironment {
  const required = (name: string): string => {
    const value = process.env[name];
    if (value === undefined || value === '') {
      throw new Error(`${name} is not set: integration and e2e tests run through test/global-setup.ts (npm test)`);
    }
    return value;
  };
  return {
    adminUrl: required('DATABASE_ADMIN_URL'),
    ownerUrl: required('DATABASE_OWNER_URL'),
    runtimeUrl: required('DATABASE_URL'),
    redisUrl: required('REDIS_URL'),
    queuePrefix: required('QUEUE_PREFIX'),
    database: required('MEND_TEST_DATABASE'),
  };
}

/** One signing key per test process (synthetic): tokens of one run never verify in another. */
const TEST_JWT_SECRET = randomBytes(48).toString('base64');

/** A full configuration for tests, with a queue prefix unique to the caller. */
export function testConfig(overrides: Readonly<Record<string, string>> = {}): MendConfig {
  const environment = testEnvironment();
  return loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: environment.runtimeUrl,
      DATABASE_OWNER_URL: environment.ownerUrl,
      DATABASE_ADMIN_URL: environment.adminUrl,
      REDIS_URL: environment.redisUrl,
      QUEUE_PREFIX: `${environment.queuePrefix}-${randomBytes(3).toString('hex')}`,
      MASTER_KEY: process.env.MASTER_KEY ?? randomBytes(32).toString('base64'),
      DATABASE_POOL_SIZE: '4',
      JWT_SECRET: process.env.JWT_SECRET ?? TEST_JWT_SECRET,
      PASSWORD_HASH_PROFILE: 'test',
      ...overrides,
    },
    { database: true, redis: true, masterKey: true, jwtSecret: true },
  );
}
