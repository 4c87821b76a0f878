import { randomBytes } from 'node:crypto';

import fc from 'fast-check';

import { ConfigError, loadConfig, maskUrl, type ConfigNeeds } from './config.js';
import { CONFIG_VARIABLES, type VariableName, type VariableSpec } from './config.schema.js';

const ALL_NEEDS: ConfigNeeds = {
  database: true,
  ownerDatabase: true,
  adminDatabase: true,
  redis: true,
  masterKey: true,
};

/** A complete, valid production environment (synthetic credentials). */
function productionEnv(): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://mend_app:app-pass@db.internal:5432/mend',
    DATABASE_OWNER_URL: 'postgres://mend_owner:owner-pass@db.internal:5432/mend',
    DATABASE_ADMIN_URL: 'postgres://postgres:admin-pass@db.internal:5432/postgres',
    REDIS_URL: 'redis://redis.internal:6379',
    MASTER_KEY: randomBytes(32).toString('base64'),
  };
}

/** The problems a ConfigError lists; fails the test when loadConfig accepts the environment. */
function problemsOf(env: NodeJS.ProcessEnv, needs: ConfigNeeds = {}): { problems: readonly string[]; message: string } {
  try {
    loadConfig(env, needs);
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems, message: error.message };
    throw error;
  }
  throw new Error('loadConfig accepted an environment the test expected it to refuse');
}

function defaultOf(name: VariableName): string {
  const spec: VariableSpec | undefined = (CONFIG_VARIABLES as readonly VariableSpec[]).find((v) => v.name === name);
  if (spec?.defaultValue === undefined) throw new Error(`${name} has no default`);
  return spec.defaultValue;
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('applies the documented default of every variable left unset', () => {
      const config = loadConfig({});
      expect(config).toMatchObject({
        nodeEnv: defaultOf('NODE_ENV'),
        isProduction: false,
        isDemo: false,
        host: defaultOf('HOST'),
        port: Number(defaultOf('PORT')),
        logLevel: defaultOf('LOG_LEVEL'),
        database: { poolSize: Number(defaultOf('DATABASE_POOL_SIZE')) },
        queue: { backend: defaultOf('QUEUE_BACKEND'), prefix: defaultOf('QUEUE_PREFIX') },
        outbox: { pollMs: Number(defaultOf('OUTBOX_POLL_MS')), batchSize: Number(defaultOf('OUTBOX_BATCH_SIZE')) },
        audit: { sealIntervalMs: Number(defaultOf('AUDIT_SEAL_INTERVAL_MS')) },
        shutdownGraceMs: Number(defaultOf('SHUTDOWN_GRACE_MS')),
      });
      expect(config.masterKey).toBeUndefined();
    });

    it('treats an empty or blank value as unset (a dotenv file with NAME= lines)', () => {
      const config = loadConfig({ PORT: '', LOG_LEVEL: '   ', QUEUE_PREFIX: '' });
      expect(config.port).toBe(Number(defaultOf('PORT')));
      expect(config.logLevel).toBe(defaultOf('LOG_LEVEL'));
      expect(config.queue.prefix).toBe(defaultOf('QUEUE_PREFIX'));
    });

    it('uses given values over defaults, trimmed', () => {
      const config = loadConfig({ PORT: ' 8080 ', HOST: '0.0.0.0', DATABASE_POOL_SIZE: '25' });
      expect(config.port).toBe(8080);
      expect(config.host).toBe('0.0.0.0');
      expect(config.database.poolSize).toBe(25);
    });

    it('accepts a complete production environment and decodes the master key', () => {
      const env = productionEnv();
      const config = loadConfig({ ...env, MASTER_KEY_ID: 'k7' }, ALL_NEEDS);
      expect(config.isProduction).toBe(true);
      expect(config.database.url).toBe(env.DATABASE_URL);
      expect(config.database.ownerUrl).toBe(env.DATABASE_OWNER_URL);
      expect(config.database.adminUrl).toBe(env.DATABASE_ADMIN_URL);
      expect(config.redis.url).toBe(env.REDIS_URL);
      expect(config.masterKey?.id).toBe('k7');
      expect(config.masterKey?.key.equals(Buffer.from(env.MASTER_KEY ?? '', 'base64'))).toBe(true);
      expect(config.masterKey?.key).toHaveLength(32);
    });

    it('reads the previous master key during a rotation, only with its own distinct id', () => {
      const previous = randomBytes(32).toString('base64');
      const config = loadConfig(
        { ...productionEnv(), MASTER_KEY_ID: 'k2', MASTER_KEY_PREVIOUS: previous, MASTER_KEY_PREVIOUS_ID: 'k1' },
        ALL_NEEDS,
      );
      expect(config.previousMasterKey?.id).toBe('k1');
      expect(config.previousMasterKey?.key.equals(Buffer.from(previous, 'base64'))).toBe(true);
      expect(loadConfig(productionEnv(), ALL_NEEDS).previousMasterKey).toBeUndefined();
      expect(problemsOf({ ...productionEnv(), MASTER_KEY_PREVIOUS: previous }).problems).toEqual([
        'MASTER_KEY_PREVIOUS_ID must be set with MASTER_KEY_PREVIOUS: 1 to 32 letters, digits, "-" or "_"',
      ]);
      expect(
        problemsOf({ ...productionEnv(), MASTER_KEY_PREVIOUS: previous, MASTER_KEY_PREVIOUS_ID: 'k1' }).problems,
      ).toEqual(['MASTER_KEY_PREVIOUS_ID must differ from MASTER_KEY_ID']);
      expect(
        problemsOf({ ...productionEnv(), MASTER_KEY_PREVIOUS: 'short', MASTER_KEY_PREVIOUS_ID: 'k0' }).problems,
      ).toEqual(['MASTER_KEY_PREVIOUS must be the base64 of exactly 32 bytes']);
      expect(problemsOf({ ...productionEnv(), MASTER_KEY_PREVIOUS_ID: 'k0' }).problems).toEqual([
        'MASTER_KEY_PREVIOUS_ID is set without MASTER_KEY_PREVIOUS',
      ]);
    });
  });

  describe('problems', () => {
    it('reports every bad value at once in one ConfigError, one line each', () => {
      const { problems, message } = problemsOf({
        NODE_ENV: 'staging',
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_POOL_SIZE: '0',
        QUEUE_PREFIX: 'has:colon',
        MASTER_KEY_ID: 'id with spaces',
        OUTBOX_POLL_MS: '1',
        OUTBOX_BATCH_SIZE: '-5',
        SHUTDOWN_GRACE_MS: '1.5',
        MEND_DEMO: 'yes',
      });
      const named = [
        'NODE_ENV',
        'PORT',
        'LOG_LEVEL',
        'DATABASE_POOL_SIZE',
        'QUEUE_PREFIX',
        'MASTER_KEY_ID',
        'OUTBOX_POLL_MS',
        'OUTBOX_BATCH_SIZE',
        'SHUTDOWN_GRACE_MS',
        'MEND_DEMO',
      ];
      expect(problems).toHaveLength(named.length);
      for (const name of named) {
        expect(problems.filter((problem) => problem.startsWith(`${name} `))).toHaveLength(1);
      }
      const lines = message.split('\n');
      expect(lines[0]).toBe('Invalid configuration:');
      expect(lines.slice(1)).toEqual(problems.map((problem) => `  - ${problem}`));
    });

    it('reports every missing requirement at once', () => {
      const { problems } = problemsOf({}, ALL_NEEDS);
      expect([...problems].sort()).toEqual(
        [
          'DATABASE_URL is required',
          'DATABASE_OWNER_URL is required',
          'DATABASE_ADMIN_URL is required',
          'REDIS_URL is required',
          'MASTER_KEY is required (openssl rand -base64 32)',
        ].sort(),
      );
    });

    it('refuses URLs of the wrong kind', () => {
      const { problems } = problemsOf(
        {
          ...productionEnv(),
          DATABASE_URL: 'mysql://db.internal/mend',
          DATABASE_OWNER_URL: 'not a url',
          REDIS_URL: 'http://redis.internal:6379',
        },
        ALL_NEEDS,
      );
      expect([...problems].sort()).toEqual([
        'DATABASE_OWNER_URL must be a postgres:// URL',
        'DATABASE_URL must be a postgres:// URL',
        'REDIS_URL must be a redis:// or rediss:// URL',
      ]);
    });

    it('refuses a master key that does not decode to exactly 32 bytes', () => {
      for (const bad of [randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not*base64!']) {
        expect(problemsOf({ MASTER_KEY: bad }).problems).toEqual(['MASTER_KEY must be the base64 of exactly 32 bytes']);
      }
    });
  });

  describe('secrets', () => {
    it('never puts a database password in a message', () => {
      const password = 'Synthetic-Db-Passw0rd-7431';
      const { problems, message } = problemsOf(
        {
          DATABASE_URL: `mysql://mend_app:${password}@db.internal/mend`,
          DATABASE_OWNER_URL: `postgres://mend_owner:${password}@[unclosed/mend`,
          DATABASE_ADMIN_URL: `http://postgres:${password}@db.internal/postgres`,
        },
        {},
      );
      expect(problems).toHaveLength(3);
      expect(message).not.toContain(password);
      expect(message).not.toContain('mend_app');
    });

    it('never puts a Redis password in a message', () => {
      const password = 'Synthetic-Redis-Passw0rd-2219';
      const { message } = problemsOf({ REDIS_URL: `http://:${password}@redis.internal:6379` }, { redis: true });
      expect(message).toContain('REDIS_URL');
      expect(message).not.toContain(password);
    });

    it('never puts a malformed master key in a message', () => {
      const key = randomBytes(31).toString('base64');
      const { message } = problemsOf({ MASTER_KEY: key });
      expect(message).toContain('MASTER_KEY');
      expect(message).not.toContain(key);
    });

    it('keeps any secret text out of the message alongside other problems (property)', () => {
      // The shape (letters, digits, letters) keeps a generated secret from matching a word of a message by chance.
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z]{4}[0-9]{2}[A-Za-z0-9]{6,30}$/), (secret) => {
          const { message } = problemsOf(
            {
              NODE_ENV: 'staging',
              DATABASE_URL: `mysql://u:${secret}@h/d`,
              REDIS_URL: `ftp://:${secret}@h`,
              MASTER_KEY: `${secret}!`,
            },
            ALL_NEEDS,
          );
          return !message.includes(secret);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('demo and queue backend', () => {
    it('refuses MEND_DEMO with NODE_ENV=production', () => {
      const { problems } = problemsOf({ ...productionEnv(), MEND_DEMO: 'true' }, ALL_NEEDS);
      expect(problems).toEqual(['MEND_DEMO=true cannot run with NODE_ENV=production (the demo skips MFA)']);
    });

    it('allows MEND_DEMO in development', () => {
      expect(loadConfig({ MEND_DEMO: 'true' }).isDemo).toBe(true);
    });

    it('refuses QUEUE_BACKEND=postgres outside the demo', () => {
      const { problems } = problemsOf({ QUEUE_BACKEND: 'postgres' });
      expect(problems).toEqual(['QUEUE_BACKEND=postgres is only for the embedded demo (MEND_DEMO=true)']);
    });

    it('accepts QUEUE_BACKEND=postgres in the demo and then needs no Redis', () => {
      const config = loadConfig({ MEND_DEMO: 'true', QUEUE_BACKEND: 'postgres' }, { redis: true });
      expect(config.queue.backend).toBe('postgres');
      expect(config.redis.url).toBe('');
    });
  });

  describe('needs', () => {
    it('accepts a missing DATABASE_URL when the process does not need the database', () => {
      const config = loadConfig({ REDIS_URL: 'redis://redis.internal:6379' }, { redis: true });
      expect(config.database.url).toBe('');
    });

    it('refuses a missing DATABASE_URL when the process needs the database', () => {
      expect(problemsOf({}, { database: true }).problems).toEqual(['DATABASE_URL is required']);
    });

    it('requires only what each need names', () => {
      const cases: Array<[ConfigNeeds, string]> = [
        [{ ownerDatabase: true }, 'DATABASE_OWNER_URL is required'],
        [{ adminDatabase: true }, 'DATABASE_ADMIN_URL is required'],
        [{ redis: true }, 'REDIS_URL is required'],
        [{ masterKey: true }, 'MASTER_KEY is required (openssl rand -base64 32)'],
      ];
      for (const [needs, problem] of cases) {
        expect(problemsOf({}, needs).problems).toEqual([problem]);
      }
    });

    it('still reports a malformed database URL that is present but not needed', () => {
      // A typo in an optional URL would otherwise surface later, in another process.
      expect(problemsOf({ DATABASE_ADMIN_URL: 'mysql://x/y' }).problems).toEqual([
        'DATABASE_ADMIN_URL must be a postgres:// URL',
      ]);
    });
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, a hop count, or listed proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('refuses "true", which would let any client choose its own address', () => {
    expect(problemsOf({ TRUST_PROXY: 'true' }).message).toMatch(/TRUST_PROXY/);
  });
});

describe('maskUrl', () => {
  it('replaces the password and keeps the user, host, port and database', () => {
    expect(maskUrl('postgres://mend_app:Synthetic-Passw0rd@db.internal:5432/mend')).toBe(
      'postgres://mend_app:***@db.internal:5432/mend',
    );
  });

  it('masks a Redis password given without a user', () => {
    expect(maskUrl('redis://:Synthetic-Passw0rd@redis.internal:6379')).toBe('redis://:***@redis.internal:6379');
  });

  it('masks a percent-encoded password', () => {
    const masked = maskUrl('postgres://mend_app:p%40ss%2Fword@db/mend');
    expect(masked).toBe('postgres://mend_app:***@db/mend');
    expect(masked).not.toContain('p%40ss');
  });

  it('leaves a URL without a password unchanged', () => {
    expect(maskUrl('redis://redis.internal:6379/0')).toBe('redis://redis.internal:6379/0');
  });

  it('masks the whole value when it is not a URL (it may be a bare secret)', () => {
    expect(maskUrl('mend_app:Synthetic-Passw0rd@[db')).toBe('***');
  });
});
