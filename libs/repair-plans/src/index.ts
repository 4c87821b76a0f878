export * from './timeline/case-timeline-entry.js';
export * from './plans/plan-document.js';
export * from './plans/plan.errors.js';
export * from './plans/plan-visibility.js';
export * from './plans/plan-diff.js';
export * from './plans/plan.service.js';
export * from './plans/plan.entities.js';
export * from './readiness/readiness.service.js';
export * from './readiness/readiness.entities.js';
export * from './ledger/ledger.types.js';
export * from './ledger/ledger.errors.js';
export * from './ledger/ledger.entities.js';
export * from './ledger/ledger.service.js';
export * from './ledger/ledger-summary.js';
export * from './ledger/ledger-timeline.js';
export * from './ledger/local-date.js';
export { SYSTEM_LEDGER_CLOCK, type LedgerClock } from './ledger/case-content.js';
export * from './boundary-events/boundary-event.entity.js';
export * from './boundary-events/boundary-events.service.js';
export * from './boundary-events/boundary-events-timeline.js';
export * from './disclosures/disclosure.entity.js';
export * from './disclosures/disclosure-log.js';
export * from './disclosures/disclosure-timeline.js';

import { BoundaryEvent } from './boundary-events/boundary-event.entity.js';
import { Disclosure } from './disclosures/disclosure.entity.js';
import { CommitmentCheckIn, CommitmentCheckInResponse } from './ledger/ledger.entities.js';
import { RepairPlan, RepairPlanPhaseChange, RepairPlanRevision } from './plans/plan.entities.js';
import { ReadinessAssessment, ReadinessParticipantRating } from './readiness/readiness.entities.js';

export const REPAIR_PLANS_ENTITIES: (new () => object)[] = [
  RepairPlan,
  RepairPlanRevision,
  RepairPlanPhaseChange,
  ReadinessAssessment,
  ReadinessParticipantRating,
  CommitmentCheckIn,
  CommitmentCheckInResponse,
  BoundaryEvent,
  Disclosure,
];
export * from './timeline/case-timeline.service.js';
