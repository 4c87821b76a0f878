import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A clinic's reminder defaults (absent: Mend's defaults, see DEFAULT_CLINIC_REMINDER_SETTINGS). */
@Entity({ name: 'clinic_reminder_settings' })
export class ClinicReminderSettingsRow {
  @PrimaryColumn('uuid') clinicId: string;
  @Column('text', { array: true }) channels: string[];
  @Column('text', { default: '18:00' }) localTime: string;
  @Column('text', { default: '21:00' }) quietStart: string;
  @Column('text', { default: '08:00' }) quietEnd: string;
  @Column('uuid', { nullable: true }) updatedByMembershipId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** A client's own quiet hours (absent or null: the clinic's). */
@Entity({ name: 'client_reminder_settings' })
export class ClientReminderSettingsRow {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') clientId: string;
  @Column('text', { nullable: true }) quietStart: string | null;
  @Column('text', { nullable: true }) quietEnd: string | null;
  @Column('uuid', { nullable: true }) updatedByMembershipId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** A client's override for one category: channel, local time, opt-out (never for a safety category). */
@Entity({ name: 'client_reminder_preferences' })
export class ClientReminderPreferenceRow {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') clientId: string;
  @PrimaryColumn('text') category: string;
  @Column('text', { nullable: true }) channel: string | null;
  @Column('text', { nullable: true }) localTime: string | null;
  @Column('boolean', { default: false }) optedOut: boolean;
  @Column('uuid', { nullable: true }) updatedByMembershipId: string | null;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** One reminder: a (category, source, occurrence, recipient), when it fires and where it stands. */
@Entity({ name: 'reminders' })
@Index('reminders_recipient_idx', ['clinicId', 'recipientMembershipId', 'fireAt'])
export class ReminderRow {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('text') category: string;
  @Column('uuid', { nullable: true }) recipientMembershipId: string | null;
  @Column('uuid', { nullable: true }) recipientClientId: string | null;
  @Column('uuid', { nullable: true }) caseId: string | null;
  @Column('text') sourceType: string;
  @Column('uuid') sourceId: string;
  @Column('text') occurrenceKey: string;
  @Column('text') dedupeKey: string;
  @Column('text', { array: true }) channels: string[];
  @Column('boolean', { default: false }) discreet: boolean;
  @Column('timestamptz') dueAt: Date;
  @Column('timestamptz') fireAt: Date;
  @Column('timestamptz', { nullable: true }) deferredFrom: Date | null;
  @Column('text', { default: 'pending' }) status: string;
  @Column('integer', { default: 0 }) generation: number;
  @Column('uuid', { nullable: true }) claimToken: string | null;
  @Column('timestamptz', { nullable: true }) claimedAt: Date | null;
  @Column('timestamptz', { nullable: true }) claimedUntil: Date | null;
  @Column('integer', { default: 0 }) claims: number;
  @Column('text', { nullable: true }) jobId: string | null;
  @Column('integer', { default: 0 }) attempts: number;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { nullable: true }) failedAt: Date | null;
  @Column('text', { nullable: true }) cancelledReason: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** The proof of sending: one row per (reminder, occurrence, channel). */
@Entity({ name: 'deliveries' })
export class DeliveryRow {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') reminderId: string;
  @PrimaryColumn('text') occurrenceKey: string;
  @PrimaryColumn('text') channel: string;
  @Column('text') idempotencyKey: string;
  @Column('text', { default: 'sending' }) status: string;
  @Column('text', { nullable: true }) providerMessageId: string | null;
  @Column('integer', { default: 0 }) providerCalls: number;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
}

export const REMINDER_ENTITIES: (new () => object)[] = [
  ClinicReminderSettingsRow,
  ClientReminderSettingsRow,
  ClientReminderPreferenceRow,
  ReminderRow,
  DeliveryRow,
];
