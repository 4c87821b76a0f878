import type { Type } from '@nestjs/common';

import { AuditSealHandler } from './audit-seal.handler.js';
import { SystemProbeHandler } from './system-probe.handler.js';

/** Every job handler of the worker; each job in JOB_DEFINITIONS needs exactly one. */
export const WORKER_JOB_HANDLERS: readonly Type[] = [SystemProbeHandler, AuditSealHandler];
