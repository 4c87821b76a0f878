/**
 * Every environment variable Mend reads, with its default and meaning.
 * `.env.example` must list each of these (a unit test checks it).
 */
export interface VariableSpec {
  readonly name: string;
  readonly description: string;
  /** Printed in `.env.example`; `undefined` means "no default". */
  readonly defaultValue?: string;
  /** Never printed, not even in error messages. */
  readonly isSecret?: boolean;
}

export const CONFIG_VARIABLES = [
  { name: 'NODE_ENV', description: 'development, test or production', defaultValue: 'development' },
  { name: 'HOST', description: 'Interface the API listens on', defaultValue: '127.0.0.1' },
  { name: 'PORT', description: 'Port the API listens on', defaultValue: '3000' },
  {
    name: 'TRUST_PROXY',
    description:
      'Proxies whose X-Forwarded-For is believed: false, a number of hops, or comma-separated addresses/CIDRs of the load balancers',
    defaultValue: 'false',
  },
  { name: 'LOG_LEVEL', description: 'fatal, error, warn, info, debug or trace', defaultValue: 'info' },
  {
    name: 'DATABASE_URL',
    description: 'Runtime role (NOSUPERUSER NOBYPASSRLS, owns nothing): used by the API and the worker',
    isSecret: true,
  },
  {
    name: 'DATABASE_OWNER_URL',
    description: 'Owner role: runs migrations and owns the schema and the SECURITY DEFINER functions',
    isSecret: true,
  },
  {
    name: 'DATABASE_ADMIN_URL',
    description: 'A role that may create roles and databases: setup (db:setup) and tests only',
    isSecret: true,
  },
  { name: 'DATABASE_POOL_SIZE', description: 'Connections per process in the runtime pool', defaultValue: '10' },
  { name: 'REDIS_URL', description: 'Redis for queues and shared counters', isSecret: true },
  {
    name: 'QUEUE_BACKEND',
    description: 'redis (production) or postgres (the embedded demo only: BullMQ on PostgreSQL)',
    defaultValue: 'redis',
  },
  {
    name: 'QUEUE_PREFIX',
    description: 'Key prefix of every queue (tests use a unique one per run)',
    defaultValue: 'mend',
  },
  {
    name: 'MASTER_KEY',
    description: 'Base64 of 32 random bytes: wraps the data keys of envelope encryption (openssl rand -base64 32)',
    isSecret: true,
  },
  {
    name: 'MASTER_KEY_ID',
    description: 'Name of MASTER_KEY, stored beside every wrapped data key',
    defaultValue: 'k1',
  },
  {
    name: 'MASTER_KEY_PREVIOUS',
    description:
      'During a master key rotation only: the previous MASTER_KEY (base64 of 32 bytes), still unwrapping data keys until keys:rotate --master re-wraps them',
    isSecret: true,
  },
  {
    name: 'MASTER_KEY_PREVIOUS_ID',
    description: 'Name of MASTER_KEY_PREVIOUS (must differ from MASTER_KEY_ID)',
  },
  {
    name: 'OUTBOX_POLL_MS',
    description: 'How often an idle outbox relay looks for new rows (ms)',
    defaultValue: '250',
  },
  { name: 'OUTBOX_BATCH_SIZE', description: 'Outbox rows a relay claims at once', defaultValue: '200' },
  {
    name: 'AUDIT_SEAL_INTERVAL_MS',
    description: 'How often the worker seals new audit rows of every clinic into the hash chain (ms)',
    defaultValue: '60000',
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    description: 'How long SIGTERM waits for active requests and jobs before exiting (ms)',
    defaultValue: '25000',
  },
  {
    name: 'JWT_SECRET',
    description:
      'Base64 of at least 32 random bytes: signs access tokens (HS256) and derives the CSRF and refresh-successor keys (openssl rand -base64 48)',
    isSecret: true,
  },
  {
    name: 'ACCESS_TOKEN_TTL_SECONDS',
    description: 'Lifetime of an access token in seconds (at most 600)',
    defaultValue: '600',
  },
  {
    name: 'PASSWORD_HASH_PROFILE',
    description:
      'production (argon2id m=32768 KiB, t=4, p=1) or test (a far lower cost, for test runs only; refused when NODE_ENV=production)',
    defaultValue: 'production',
  },
  {
    name: 'PUBLIC_URL',
    description:
      'Address users reach Mend at: builds invitation and password-reset links; https makes cookies Secure with the __Host- prefix',
    defaultValue: 'http://localhost:3000',
  },
  {
    name: 'SMTP_URL',
    description:
      'SMTP server for reminder, invitation and password-reset emails (smtp:// or smtps://, credentials in the URL); empty: no email is sent',
    isSecret: true,
  },
  {
    name: 'SMTP_FROM',
    description: 'The From address of every email Mend sends',
    defaultValue: 'Mend <no-reply@mend.invalid>',
  },
  {
    name: 'REMINDER_POLL_MS',
    description: 'How often an idle worker claims due reminders (ms)',
    defaultValue: '1000',
  },
  { name: 'REMINDER_BATCH_SIZE', description: 'Due reminders a worker claims at once', defaultValue: '500' },
  {
    name: 'REMINDER_LEASE_SECONDS',
    description:
      'How long a claimed reminder waits for its delivery before the reconciler claims and enqueues it again (same job id)',
    defaultValue: '300',
  },
  {
    name: 'REMINDER_PLAN_INTERVAL_MS',
    description:
      'How often the worker turns assignments, sessions, measures, plans, notes and alerts into reminders (ms)',
    defaultValue: '60000',
  },
  {
    name: 'REMINDER_CONCURRENCY',
    description:
      'Reminder deliveries a worker runs at once (the in-app ones of a clinic share a transaction; email sends are capped at 5 connections apart from this)',
    defaultValue: '200',
  },
  {
    name: 'WORKER_HEAP_GROWING_PERCENT',
    description:
      "How far the worker's JavaScript heap may grow past its live size before a full garbage collection (percent; 0: V8's own factor, up to 4x). 50 keeps a worker delivering a backlog near 200 MB resident, where V8's own factor let it reach 320 MB",
    defaultValue: '50',
  },
  {
    name: 'QUEUE_DASHBOARD_USER',
    description:
      'Platform operators only: user name of the queue dashboard at /ops/queues (ids and states, never payloads); empty: no dashboard',
  },
  {
    name: 'QUEUE_DASHBOARD_PASSWORD',
    description:
      'Platform operators only: password of the queue dashboard (at least 16 characters); empty: no dashboard',
    isSecret: true,
  },
  {
    name: 'MEND_DEMO',
    description: 'Set by `npm run demo` for the embedded demo; refused when NODE_ENV=production',
    defaultValue: 'false',
  },
] as const satisfies readonly VariableSpec[];

export type VariableName = (typeof CONFIG_VARIABLES)[number]['name'];
