export * from './audit-event.entity.js';
export * from './audit-seal.entity.js';
export * from './security-log-entry.entity.js';
export * from './audit.error.js';
export * from './audit-event.input.js';
export * from './audit-hash.js';
export * from './audit-query.js';
export * from './audit-rows.js';
export * from './audit-sealer.service.js';
export * from './audit-verifier.js';
export * from './canonical-json.js';
export * from './ip-address.js';
export * from './record-audit.js';
export * from './security-log.js';

import { AuditEvent } from './audit-event.entity.js';
import { AuditSeal } from './audit-seal.entity.js';
import { SecurityLogEntry } from './security-log-entry.entity.js';

/** Entities owned by the audit library. */
export const AUDIT_ENTITIES = [AuditEvent, AuditSeal, SecurityLogEntry];
