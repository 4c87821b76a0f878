import { CONFIG_VARIABLES, type VariableName } from './config.schema.js';

export type NodeEnvironment = 'development' | 'test' | 'production';
export type QueueBackend = 'redis' | 'postgres';
export type PasswordHashProfile = 'production' | 'test';

export interface MendConfig {
  readonly nodeEnv: NodeEnvironment;
  readonly isProduction: boolean;
  readonly isDemo: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses. */
  readonly trustProxy: false | number | string[];
  readonly database: {
    readonly url: string;
    readonly ownerUrl?: string;
    readonly adminUrl?: string;
    readonly poolSize: number;
  };
  readonly redis: { readonly url: string };
  readonly queue: { readonly backend: QueueBackend; readonly prefix: string };
  readonly masterKey?: { readonly id: string; readonly key: Buffer };
  /** The master key being rotated away from (MASTER_KEY_PREVIOUS): unwraps, never wraps. */
  readonly previousMasterKey?: { readonly id: string; readonly key: Buffer };
  readonly outbox: { readonly pollMs: number; readonly batchSize: number };
  readonly audit: { readonly sealIntervalMs: number };
  readonly shutdownGraceMs: number;
  /**
   * How far the worker's V8 heap may grow past what survived the last full
   * collection before the next one, in percent (0: V8's own factor, up to 4×).
   */
  readonly workerHeapGrowingPercent: number;
  readonly auth: {
    /** Absent unless JWT_SECRET is set (the API requires it). */
    readonly jwtSecret?: Buffer;
    readonly accessTokenTtlSeconds: number;
    readonly passwordHashProfile: PasswordHashProfile;
  };
  /** Without a trailing slash, e.g. https://mend.example.org */
  readonly publicUrl: string;
  /** Email over SMTP; `url` absent: email is not sent (reminders fall back to in-app). */
  readonly smtp: { readonly url?: string; readonly from: string };
  readonly reminders: {
    readonly pollMs: number;
    readonly batchSize: number;
    readonly leaseSeconds: number;
    readonly planIntervalMs: number;
    readonly concurrency: number;
  };
  /** The operators' queue dashboard; absent unless both credentials are configured. */
  readonly queueDashboard?: { readonly user: string; readonly password: string };
}

/** What a process needs; anything not needed may be absent. */
export interface ConfigNeeds {
  readonly database?: boolean;
  readonly ownerDatabase?: boolean;
  readonly adminDatabase?: boolean;
  readonly redis?: boolean;
  readonly masterKey?: boolean;
  readonly jwtSecret?: boolean;
}

/** Raised with every problem at once; `problems` never contains a secret value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv, needs: ConfigNeeds = {}): MendConfig {
  const problems: string[] = [];
  const defaults = new Map<string, string | undefined>(
    CONFIG_VARIABLES.map((v) => [v.name, 'defaultValue' in v ? v.defaultValue : undefined]),
  );
  const read = (name: VariableName): string | undefined => {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
    return defaults.get(name);
  };
  const oneOf = <T extends string>(name: VariableName, allowed: readonly T[]): T => {
    const value = read(name) ?? '';
    if (!(allowed as readonly string[]).includes(value)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return allowed[0];
    }
    return value as T;
  };
  const integer = (name: VariableName, min: number, max: number): number => {
    const raw = read(name) ?? '';
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return min;
    }
    return value;
  };
  const postgresUrl = (name: VariableName, isRequired: boolean): string | undefined => {
    const value = read(name);
    if (value === undefined) {
      if (isRequired) problems.push(`${name} is required`);
      return undefined;
    }
    if (!/^postgres(ql)?:\/\//.test(value) || !isParsableUrl(value)) {
      problems.push(`${name} must be a postgres:// URL`);
    }
    return value;
  };

  const nodeEnv = oneOf<NodeEnvironment>('NODE_ENV', ['development', 'test', 'production']);
  const isDemo = oneOf('MEND_DEMO', ['true', 'false']) === 'true';
  if (isDemo && nodeEnv === 'production') {
    problems.push('MEND_DEMO=true cannot run with NODE_ENV=production (the demo skips MFA)');
  }
  const host = read('HOST') ?? '127.0.0.1';
  const port = integer('PORT', 1, 65535);
  const logLevel = read('LOG_LEVEL') ?? 'info';
  const trustProxy = parseTrustProxy(read('TRUST_PROXY') ?? 'false', problems);
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const databaseUrl = postgresUrl('DATABASE_URL', needs.database === true);
  const ownerUrl = postgresUrl('DATABASE_OWNER_URL', needs.ownerDatabase === true);
  const adminUrl = postgresUrl('DATABASE_ADMIN_URL', needs.adminDatabase === true);
  const poolSize = integer('DATABASE_POOL_SIZE', 1, 200);

  const redisUrl = read('REDIS_URL');
  const queueBackend = oneOf<QueueBackend>('QUEUE_BACKEND', ['redis', 'postgres']);
  if (queueBackend === 'postgres' && !isDemo) {
    problems.push('QUEUE_BACKEND=postgres is only for the embedded demo (MEND_DEMO=true)');
  }
  if (needs.redis === true && queueBackend === 'redis') {
    if (redisUrl === undefined) problems.push('REDIS_URL is required');
    else if (!/^rediss?:\/\//.test(redisUrl) || !isParsableUrl(redisUrl)) {
      problems.push('REDIS_URL must be a redis:// or rediss:// URL');
    }
  }
  const queuePrefix = read('QUEUE_PREFIX') ?? 'mend';
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(queuePrefix)) {
    problems.push('QUEUE_PREFIX must be 1 to 40 letters, digits, "-" or "_"');
  }

  let masterKey: MendConfig['masterKey'];
  const masterKeyText = read('MASTER_KEY');
  const masterKeyId = read('MASTER_KEY_ID') ?? 'k1';
  if (!/^[a-zA-Z0-9_-]{1,32}$/.test(masterKeyId)) {
    problems.push('MASTER_KEY_ID must be 1 to 32 letters, digits, "-" or "_"');
  }
  if (masterKeyText === undefined) {
    if (needs.masterKey === true) problems.push('MASTER_KEY is required (openssl rand -base64 32)');
  } else {
    const key = Buffer.from(masterKeyText, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(masterKeyText)) {
      problems.push('MASTER_KEY must be the base64 of exactly 32 bytes');
    } else {
      masterKey = { id: masterKeyId, key };
    }
  }

  let previousMasterKey: MendConfig['previousMasterKey'];
  const previousText = read('MASTER_KEY_PREVIOUS');
  const previousId = read('MASTER_KEY_PREVIOUS_ID');
  if (previousText !== undefined) {
    const key = Buffer.from(previousText, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(previousText)) {
      problems.push('MASTER_KEY_PREVIOUS must be the base64 of exactly 32 bytes');
    } else if (previousId === undefined || !/^[a-zA-Z0-9_-]{1,32}$/.test(previousId)) {
      problems.push('MASTER_KEY_PREVIOUS_ID must be set with MASTER_KEY_PREVIOUS: 1 to 32 letters, digits, "-" or "_"');
    } else if (previousId === masterKeyId) {
      problems.push('MASTER_KEY_PREVIOUS_ID must differ from MASTER_KEY_ID');
    } else {
      previousMasterKey = { id: previousId, key };
    }
  } else if (previousId !== undefined) {
    problems.push('MASTER_KEY_PREVIOUS_ID is set without MASTER_KEY_PREVIOUS');
  }

  const pollMs = integer('OUTBOX_POLL_MS', 10, 60_000);
  const batchSize = integer('OUTBOX_BATCH_SIZE', 1, 5_000);
  const sealIntervalMs = integer('AUDIT_SEAL_INTERVAL_MS', 1_000, 3_600_000);
  const shutdownGraceMs = integer('SHUTDOWN_GRACE_MS', 0, 600_000);
  const workerHeapGrowingPercent = integer('WORKER_HEAP_GROWING_PERCENT', 0, 300);

  let jwtSecret: Buffer | undefined;
  const jwtSecretText = read('JWT_SECRET');
  if (jwtSecretText === undefined) {
    if (needs.jwtSecret === true) problems.push('JWT_SECRET is required (openssl rand -base64 48)');
  } else {
    const key = Buffer.from(jwtSecretText, 'base64');
    if (key.length < 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(jwtSecretText)) {
      problems.push('JWT_SECRET must be the base64 of at least 32 bytes');
    } else {
      jwtSecret = key;
    }
  }
  const accessTokenTtlSeconds = integer('ACCESS_TOKEN_TTL_SECONDS', 30, 600);
  const passwordHashProfile = oneOf<PasswordHashProfile>('PASSWORD_HASH_PROFILE', ['production', 'test']);
  if (passwordHashProfile === 'test' && nodeEnv === 'production') {
    problems.push('PASSWORD_HASH_PROFILE=test cannot run with NODE_ENV=production (it weakens password hashing)');
  }
  const publicUrl = (read('PUBLIC_URL') ?? 'http://localhost:3000').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(publicUrl) || !isParsableUrl(publicUrl)) {
    problems.push('PUBLIC_URL must be an http:// or https:// URL');
  }

  const smtpUrl = read('SMTP_URL');
  if (smtpUrl !== undefined && (!/^smtps?:\/\/[^/]/.test(smtpUrl) || !isParsableUrl(smtpUrl))) {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  }
  const smtpFrom = read('SMTP_FROM') ?? 'Mend <no-reply@mend.invalid>';
  if (!/^[^\r\n<>]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(smtpFrom) || smtpFrom.length > 200) {
    problems.push('SMTP_FROM must be an email address, optionally with a name: Name <address@example.org>');
  }
  const reminders = {
    pollMs: integer('REMINDER_POLL_MS', 10, 60_000),
    batchSize: integer('REMINDER_BATCH_SIZE', 1, 5_000),
    leaseSeconds: integer('REMINDER_LEASE_SECONDS', 5, 3_600),
    planIntervalMs: integer('REMINDER_PLAN_INTERVAL_MS', 1_000, 3_600_000),
    concurrency: integer('REMINDER_CONCURRENCY', 1, 500),
  };
  const dashboardUser = read('QUEUE_DASHBOARD_USER');
  const dashboardPassword = read('QUEUE_DASHBOARD_PASSWORD');
  let queueDashboard: MendConfig['queueDashboard'];
  if (dashboardUser !== undefined || dashboardPassword !== undefined) {
    if (dashboardUser === undefined || dashboardPassword === undefined) {
      problems.push('QUEUE_DASHBOARD_USER and QUEUE_DASHBOARD_PASSWORD are set together (or neither: no dashboard)');
    } else if (dashboardPassword.length < 16) {
      problems.push('QUEUE_DASHBOARD_PASSWORD must have at least 16 characters');
    } else if (!/^[A-Za-z0-9._-]{1,64}$/.test(dashboardUser)) {
      problems.push('QUEUE_DASHBOARD_USER must be 1 to 64 letters, digits, ".", "_" or "-"');
    } else {
      queueDashboard = { user: dashboardUser, password: dashboardPassword };
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    isDemo,
    host,
    port,
    logLevel,
    trustProxy,
    database: { url: databaseUrl ?? '', ownerUrl, adminUrl, poolSize },
    redis: { url: redisUrl ?? '' },
    queue: { backend: queueBackend, prefix: queuePrefix },
    masterKey,
    previousMasterKey,
    outbox: { pollMs, batchSize },
    audit: { sealIntervalMs },
    shutdownGraceMs,
    workerHeapGrowingPercent,
    auth: { jwtSecret, accessTokenTtlSeconds, passwordHashProfile },
    publicUrl,
    smtp: { url: smtpUrl, from: smtpFrom },
    reminders,
    queueDashboard,
  };
}

function parseTrustProxy(value: string, problems: string[]): MendConfig['trustProxy'] {
  if (value === 'false') return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry))) return entries;
  problems.push('TRUST_PROXY must be false, a number of hops, or comma-separated addresses/CIDRs (never "true")');
  return false;
}

function isParsableUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** For logs: a URL with its password replaced. */
export function maskUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '***';
  }
}
