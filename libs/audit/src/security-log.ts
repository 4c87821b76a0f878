import { randomUUID } from 'node:crypto';

import { currentContext, type SystemTransaction } from '@mend/core';

import { ACTION, assertAuditMetadata, TOKEN, type AuditMetadata } from './audit-event.input.js';
import { sha256Hex } from './audit-hash.js';
import { AuditEventError } from './audit.error.js';
import { canonicalIp } from './ip-address.js';

/** An event with no clinic yet: a failed login for an unknown email, a rate-limit block. */
export interface SecurityEventInput {
  /** Dotted code, e.g. `auth.login_failed`, `auth.rate_limited`. */
  readonly event: string;
  /** Hashed before it leaves this function; the log never holds an address. */
  readonly email?: string | null;
  readonly ip?: string | null;
  /** Default: the correlation id of the current request context. */
  readonly correlationId?: string | null;
  readonly metadata?: AuditMetadata;
}

/**
 * sha256 hex of the trimmed, lower-cased email: lets an operator check whether
 * the log mentions a given address without the log holding any. (Unsalted, so a
 * guessed address can be confirmed: the log is readable by operators only.)
 */
export function securityEmailHash(email: string): string {
  return sha256Hex(email.trim().toLowerCase());
}

/**
 * Appends to the global security log. The runtime role may only insert there
 * (no SELECT, UPDATE or DELETE), so this works in any transaction, with or
 * without a clinic; reading the log is an operator's task.
 */
export async function recordSecurityEvent(tx: SystemTransaction, input: SecurityEventInput): Promise<string> {
  if (!ACTION.test(input.event)) throw new AuditEventError('Security event "event" must be a dotted lower-case code');
  const metadata = input.metadata ?? {};
  assertAuditMetadata(metadata);
  const correlationId = input.correlationId === undefined ? currentContext()?.correlationId : input.correlationId;
  const id = randomUUID();
  await tx.query(
    `insert into security_log (id, occurred_at, event, email_hash, ip, correlation_id, metadata)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      new Date().toISOString(),
      input.event,
      input.email === undefined || input.email === null ? null : securityEmailHash(input.email),
      canonicalIp(input.ip),
      typeof correlationId === 'string' && TOKEN.test(correlationId) ? correlationId : null,
      JSON.stringify(metadata),
    ],
  );
  return id;
}
