import { Inject } from '@nestjs/common';

import {
  FieldEncryption,
  masterKeyEnvelope,
  JobHandler,
  MEND_CONFIG,
  UnitOfWork,
  type JobHandlerInstance,
  type MendConfig,
  type MendJob,
} from '@mend/core';
import {
  SafetyAlerts,
  SafetySettingsService,
  scanSubmission,
  SYSTEM_SAFETY_CLOCK,
  type SafetyClock,
  type SafetyNotifier,
} from '@mend/measures';
import { NotificationCenter, type NotificationKind } from '@mend/notifications';

const KINDS: Readonly<Record<'urgent' | 'review' | 'escalation', NotificationKind>> = {
  urgent: 'safety.alert',
  review: 'safety.review',
  escalation: 'safety.escalation',
};

/** Alert notices through the in-app notification centre: content-free titles, the alert id as subject. */
export class InAppSafetyNotifier implements SafetyNotifier {
  constructor(private readonly center: NotificationCenter = new NotificationCenter()) {}

  async notify(
    tx: Parameters<SafetyNotifier['notify']>[0],
    input: Parameters<SafetyNotifier['notify']>[1],
  ): Promise<void> {
    await this.center.notify(tx, {
      recipientMembershipId: input.recipientMembershipId,
      kind: KINDS[input.kind],
      caseId: input.caseId,
      subject: { type: 'safety_alert', id: input.alertId },
    });
  }
}

function fieldEncryption(config: MendConfig): FieldEncryption {
  const envelope = masterKeyEnvelope(config);
  if (envelope === null) throw new Error('MASTER_KEY is required by the worker (safety scans decrypt answers)');
  return new FieldEncryption(envelope);
}

/** The safety services of the worker (one set per handler; they hold no state but a key cache). */
export function safetyServices(config: MendConfig, clock: SafetyClock = SYSTEM_SAFETY_CLOCK) {
  const encryption = fieldEncryption(config);
  return {
    encryption,
    alerts: new SafetyAlerts(encryption, new SafetySettingsService(), clock),
    notifier: new InAppSafetyNotifier(),
  };
}

function alertIdOf(job: MendJob): string {
  const alertId = job.data.alertId;
  if (typeof alertId !== 'string') throw new Error('A safety job names its alertId');
  return alertId;
}

/** Tells every care-team member of the alert's case (in-app, no clinical content). */
@JobHandler('safety.alert-raised')
export class SafetyAlertRaisedHandler implements JobHandlerInstance {
  private readonly services: ReturnType<typeof safetyServices>;

  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(MEND_CONFIG) config: MendConfig,
  ) {
    this.services = safetyServices(config);
  }

  async handle(job: MendJob): Promise<void> {
    await this.unitOfWork.run(job.data.clinicId, (tx) =>
      this.services.alerts.deliver(tx, alertIdOf(job), this.services.notifier),
    );
  }
}

/** Escalates a tier-1 alert still unacknowledged at its escalation time. */
@JobHandler('safety.escalate')
export class SafetyEscalateHandler implements JobHandlerInstance {
  private readonly services: ReturnType<typeof safetyServices>;

  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(MEND_CONFIG) config: MendConfig,
  ) {
    this.services = safetyServices(config);
  }

  async handle(job: MendJob): Promise<void> {
    await this.unitOfWork.run(job.data.clinicId, (tx) =>
      this.services.alerts.escalateIfDue(tx, alertIdOf(job), this.services.notifier),
    );
  }
}

/** Risk-scans a submitted homework answer set and raises the alert it calls for. */
@JobHandler('safety.scan-submission')
export class SafetyScanSubmissionHandler implements JobHandlerInstance {
  private readonly services: ReturnType<typeof safetyServices>;

  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(MEND_CONFIG) config: MendConfig,
  ) {
    this.services = safetyServices(config);
  }

  async handle(job: MendJob): Promise<void> {
    const submissionId = job.data.submissionId;
    if (typeof submissionId !== 'string') throw new Error('safety.scan-submission names its submissionId');
    await this.unitOfWork.run(job.data.clinicId, (tx) =>
      scanSubmission(tx, this.services.encryption, this.services.alerts, submissionId),
    );
  }
}
