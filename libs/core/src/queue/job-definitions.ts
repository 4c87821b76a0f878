/**
 * Every queue and job name, in one place. The worker refuses to start when a job
 * declared here has no handler or two, or a handler names a job not declared here.
 */
/**
 * `safety` is the highest priority: the outbox relay claims its rows first and it has its own worker.
 * `reminders` is fed by the reminder dispatcher (claims due rows of the `reminders` table), not the outbox.
 * `reports` builds progress reports: long, memory-bound jobs on their own worker with a low concurrency
 * ({@link QUEUE_CONCURRENCY}), so they never hold up the other queues; the outbox claim serves `safety` first.
 */
export const QUEUE_NAMES = ['safety', 'system', 'audit', 'reminders', 'reports'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Per-queue worker concurrency where it differs from the default (QueueConnection.worker). */
export const QUEUE_CONCURRENCY: Partial<Record<QueueName, number>> = { reports: 2 };

export interface JobDefinition {
  readonly queue: QueueName;
  /** What the job does, for operators (the queue dashboard, logs). */
  readonly description: string;
}

export const JOB_DEFINITIONS = {
  'system.probe': {
    queue: 'system',
    description: 'Records its own delivery: measures the outbox-to-job pipeline (health, benchmarks, fault tests)',
  },
  'audit.seal': {
    queue: 'audit',
    description: "Seals the clinic's finished audit rows into its hash chain now (the worker also seals periodically)",
  },
  'safety.alert-raised': {
    queue: 'safety',
    description:
      "Tells every care-team member of the alert's case, in-app and without clinical content, that an alert needs review",
  },
  'safety.escalate': {
    queue: 'safety',
    description:
      "Escalates a tier-1 alert still unacknowledged at its escalation time to the clinic's escalation contact",
  },
  'safety.scan-submission': {
    queue: 'safety',
    description: 'Risk-scans every free-text answer of a homework submission and raises the safety alerts it calls for',
  },
  'homework.mark-overdue': {
    queue: 'system',
    description:
      "Records `overdue` on the clinic's homework occurrences whose recipient's local day is past the due date now " +
      '(the worker also scans every clinic periodically)',
  },
  'reminder.deliver': {
    queue: 'reminders',
    description:
      'Delivers one due reminder on each of its channels (in-app, email, SMS) exactly once: a deliveries row per ' +
      '(reminder, occurrence, channel) is the proof of sending, and the provider call carries the same idempotency key',
  },
  'reports.build': {
    queue: 'reports',
    description:
      'Builds one progress report (PDF, JSON, CSV) for its audience in short units of work with progress; writes ' +
      'its encrypted files and marks it ready in one transaction (a killed build restarts and writes nothing partial)',
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOB_DEFINITIONS;

/** Ids and small scalars only, and always the clinic (reliability.md ISO-6). */
export type JobPayload = { readonly clinicId: string } & Readonly<Record<string, string | number | boolean | null>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAYLOAD_KEYS = 16;
const MAX_STRING_LENGTH = 100;

export function isJobName(value: string): value is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_DEFINITIONS, value);
}

/** Refuses payloads that could carry documents or clinical text. */
export function assertJobPayload(payload: unknown): asserts payload is JobPayload {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TypeError('A job payload is a flat object');
  }
  const entries = Object.entries(payload);
  if (entries.length > MAX_PAYLOAD_KEYS) throw new TypeError(`A job payload has at most ${MAX_PAYLOAD_KEYS} fields`);
  for (const [key, value] of entries) {
    const isScalar =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= MAX_STRING_LENGTH);
    if (!isScalar) throw new TypeError(`Job payload field "${key}" must be an id or a small scalar`);
  }
  const clinicId = (payload as Record<string, unknown>).clinicId;
  if (typeof clinicId !== 'string' || !UUID.test(clinicId)) {
    throw new TypeError('A job payload carries its clinicId (uuid)');
  }
}
