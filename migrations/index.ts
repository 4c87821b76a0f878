import { ClinicsAndOutbox1764201600000 } from './1764201600000-clinics-and-outbox.js';
import { Audit1764288000000 } from './1764288000000-audit.js';
import { Identity1764288100000 } from './1764288100000-identity.js';
import { ClientsAndCases1764374400000 } from './1764374400000-clients-and-cases.js';
import { ClientInvitations1764374450000 } from './1764374450000-client-invitations.js';
import { RepairPlans1764374500000 } from './1764374500000-repair-plans.js';
import { LedgerAndNotifications1764374600000 } from './1764374600000-ledger-and-notifications.js';
import { ClinicDataKeys1764374700000 } from './1764374700000-clinic-data-keys.js';
import { Exercises1764374800000 } from './1764374800000-exercises.js';
import { Homework1764460800000 } from './1764460800000-homework.js';
import { MeasuresAndSafety1764460900000 } from './1764460900000-measures-and-safety.js';
import { SessionsAndNotes1764461000000 } from './1764461000000-sessions-and-notes.js';
import { RotationCoverage1764461100000 } from './1764461100000-rotation-coverage.js';
import { Reminders1764547200000 } from './1764547200000-reminders.js';
import { Reports1764547300000 } from './1764547300000-reports.js';
import { MeasureLicenceConfirmations1764547400000 } from './1764547400000-measure-licence-confirmations.js';
import { ListIndexes1764701000000 } from './1764701000000-list-indexes.js';
import { ReminderClaimGeneration1764788000000 } from './1764788000000-reminder-claim-generation.js';
import { NotesAwaitingCosignatureIndex1764875000000 } from './1764875000000-notes-awaiting-cosignature-index.js';
import { HomeworkReviewOwed1764962000000 } from './1764962000000-homework-review-owed.js';

/** Every migration, oldest first. Landed migrations are never edited. */
export const MIGRATIONS = [
  ClinicsAndOutbox1764201600000,
  Audit1764288000000,
  Identity1764288100000,
  ClientsAndCases1764374400000,
  ClientInvitations1764374450000,
  RepairPlans1764374500000,
  LedgerAndNotifications1764374600000,
  ClinicDataKeys1764374700000,
  Exercises1764374800000,
  Homework1764460800000,
  MeasuresAndSafety1764460900000,
  SessionsAndNotes1764461000000,
  RotationCoverage1764461100000,
  Reminders1764547200000,
  Reports1764547300000,
  MeasureLicenceConfirmations1764547400000,
  ListIndexes1764701000000,
  ReminderClaimGeneration1764788000000,
  NotesAwaitingCosignatureIndex1764875000000,
  HomeworkReviewOwed1764962000000,
];
