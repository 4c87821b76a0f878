import type { Type } from '@nestjs/common';

import { AuditSealHandler } from './audit-seal.handler.js';
import { HomeworkMarkOverdueHandler } from './homework-overdue.handler.js';
import { ReminderDeliverHandler } from './reminder-deliver.handler.js';
import { ReportBuildHandler } from './report-build.handler.js';
import { SafetyAlertRaisedHandler, SafetyEscalateHandler, SafetyScanSubmissionHandler } from './safety.handlers.js';
import { SystemProbeHandler } from './system-probe.handler.js';

/** Every job handler of the worker; each job in JOB_DEFINITIONS needs exactly one. */
export const WORKER_JOB_HANDLERS: readonly Type[] = [
  SystemProbeHandler,
  AuditSealHandler,
  SafetyAlertRaisedHandler,
  SafetyEscalateHandler,
  SafetyScanSubmissionHandler,
  HomeworkMarkOverdueHandler,
  ReportBuildHandler,
  ReminderDeliverHandler,
];
