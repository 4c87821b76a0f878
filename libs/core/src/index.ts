export * from './config/config.js';
export * from './config/config.schema.js';
export * from './config/load-config-or-exit.js';
export * from './context/request-context.js';
export * from './core.module.js';
export * from './crypto/clinic-data-key.entity.js';
export * from './crypto/envelope.js';
export * from './crypto/field-encryption.js';
export * from './database/data-source.factory.js';
export * from './database/database.js';
export * from './database/database-setup.js';
export * from './database/json-text.js';
export * from './database/migrator.js';
export * from './database/snake-naming.strategy.js';
export * from './database/unit-of-work.js';
export * from './errors/problem.js';
export * from './health/health.service.js';
export * from './logging/logger.js';
export * from './clinic/clinic.entity.js';
export * from './outbox/outbox-message.entity.js';
export * from './outbox/probe-receipt.entity.js';
export * from './outbox/outbox.js';
export * from './outbox/outbox-relay.js';
export * from './queue/job-definitions.js';
export * from './queue/job-handler.decorator.js';
export * from './queue/queue-connection.js';
export * from './time/timezone.js';

import { Clinic } from './clinic/clinic.entity.js';
import { ClinicDataKey } from './crypto/clinic-data-key.entity.js';
import { OutboxMessage } from './outbox/outbox-message.entity.js';
import { ProbeReceipt } from './outbox/probe-receipt.entity.js';

/** Entities owned by core. */
export const CORE_ENTITIES = [Clinic, OutboxMessage, ProbeReceipt, ClinicDataKey];
