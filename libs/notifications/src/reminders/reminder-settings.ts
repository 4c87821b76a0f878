import type { AccessPrincipal } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type FieldProblem, type TenantTransaction } from '@mend/core';

import { isLocalTime, type QuietHours } from './local-time.js';
import {
  CATEGORY_RULES,
  isReminderCategory,
  isReminderChannel,
  REMINDER_CATEGORIES,
  type ReminderCategory,
  type ReminderChannel,
} from './reminder-categories.js';

export interface ClinicReminderSettings {
  /** The channels the clinic sends on (in-app is the notification centre). */
  readonly channels: readonly ReminderChannel[];
  /** Default local time of client reminders (`HH:MM`, the recipient's timezone). */
  readonly localTime: string;
  /** Quiet hours in the recipient's local time (clients may set their own). */
  readonly quietHours: QuietHours;
  readonly updatedAt: Date | null;
}

export const DEFAULT_CLINIC_REMINDER_SETTINGS: ClinicReminderSettings = {
  channels: ['in_app', 'email'],
  localTime: '18:00',
  quietHours: { start: '21:00', end: '08:00' },
  updatedAt: null,
};

export interface CategoryPreference {
  readonly category: ReminderCategory;
  readonly channel: ReminderChannel | null;
  readonly localTime: string | null;
  readonly optedOut: boolean;
}

export interface ClientReminderSettings {
  readonly clientId: string;
  /** The client's own quiet hours; null: the clinic's. */
  readonly quietHours: QuietHours | null;
  /** One entry per client-facing category (defaults where the client set nothing). */
  readonly preferences: readonly CategoryPreference[];
}

export interface ClinicSettingsChange {
  readonly channels?: readonly string[];
  readonly localTime?: string;
  readonly quietHours?: { readonly start: string; readonly end: string };
}

export interface ClientSettingsChange {
  readonly quietHours?: { readonly start: string; readonly end: string } | null;
  readonly preferences?: readonly {
    readonly category: string;
    readonly channel?: string | null;
    readonly localTime?: string | null;
    readonly optedOut?: boolean;
  }[];
}

export class ReminderSettingsError extends DomainError {
  constructor(errors: readonly FieldProblem[]) {
    super('validation_failed', 400, 'The request is invalid: see errors', errors);
    this.name = 'ReminderSettingsError';
  }
}

export class ReminderClientNotFoundError extends DomainError {
  constructor() {
    super('not_found', 404, 'No such client');
    this.name = 'ReminderClientNotFoundError';
  }
}

export const CLIENT_FACING_CATEGORIES: readonly ReminderCategory[] = REMINDER_CATEGORIES.filter(
  (category) => CATEGORY_RULES[category].clientFacing,
);

interface ClinicRow {
  channels: string[];
  local_time: string;
  quiet_start: string;
  quiet_end: string;
  updated_at: Date;
}

/** Clinic defaults and per-client overrides of reminders (tenant data, in the caller's unit of work). */
export class ReminderSettingsService {
  async clinic(tx: TenantTransaction): Promise<ClinicReminderSettings> {
    const rows = await tx.query<ClinicRow>(
      'select channels, local_time, quiet_start, quiet_end, updated_at from clinic_reminder_settings where clinic_id = $1',
      [tx.clinicId],
    );
    const row = rows[0];
    if (row === undefined) return DEFAULT_CLINIC_REMINDER_SETTINGS;
    return {
      channels: row.channels.filter(isReminderChannel),
      localTime: row.local_time,
      quietHours: { start: row.quiet_start, end: row.quiet_end },
      updatedAt: new Date(row.updated_at),
    };
  }

  async updateClinic(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    change: ClinicSettingsChange,
  ): Promise<ClinicReminderSettings> {
    const problems: FieldProblem[] = [];
    if (change.channels !== undefined) {
      if (change.channels.length === 0 || !change.channels.every(isReminderChannel)) {
        problems.push({ field: 'channels', rule: 'isIn', message: 'channels are one or more of in_app, email, sms' });
      }
    }
    if (change.localTime !== undefined && !isLocalTime(change.localTime)) {
      problems.push({ field: 'localTime', rule: 'isLocalTime', message: 'localTime is HH:MM (24-hour)' });
    }
    if (change.quietHours !== undefined) problems.push(...quietProblems('quietHours', change.quietHours));
    if (problems.length > 0) throw new ReminderSettingsError(problems);

    const current = await this.clinic(tx);
    const next = {
      channels: [...new Set(change.channels ?? current.channels)],
      localTime: change.localTime ?? current.localTime,
      quietHours: change.quietHours ?? current.quietHours,
    };
    await tx.query(
      `insert into clinic_reminder_settings (clinic_id, channels, local_time, quiet_start, quiet_end, updated_by_membership_id, updated_at)
       values ($1, $2::text[], $3, $4, $5, $6, now())
       on conflict (clinic_id) do update set channels = excluded.channels, local_time = excluded.local_time,
         quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
         updated_by_membership_id = excluded.updated_by_membership_id, updated_at = now()`,
      [tx.clinicId, next.channels, next.localTime, next.quietHours.start, next.quietHours.end, principal.membershipId],
    );
    await recordAudit(tx, {
      action: 'reminder_settings.update',
      targetType: 'clinic',
      targetId: tx.clinicId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { channels: next.channels.join('+') },
    });
    return this.clinic(tx);
  }

  async client(tx: TenantTransaction, clientId: string): Promise<ClientReminderSettings> {
    const exists = await tx.query<{ id: string }>('select id from clients where clinic_id = $1 and id = $2', [
      tx.clinicId,
      clientId,
    ]);
    if (exists.length === 0) throw new ReminderClientNotFoundError();
    const [settings] = await tx.query<{ quiet_start: string | null; quiet_end: string | null }>(
      'select quiet_start, quiet_end from client_reminder_settings where clinic_id = $1 and client_id = $2',
      [tx.clinicId, clientId],
    );
    const rows = await tx.query<{
      category: string;
      channel: string | null;
      local_time: string | null;
      opted_out: boolean;
    }>(
      `select category, channel, local_time, opted_out from client_reminder_preferences
        where clinic_id = $1 and client_id = $2`,
      [tx.clinicId, clientId],
    );
    const byCategory = new Map(rows.map((row) => [row.category, row]));
    return {
      clientId,
      quietHours:
        settings?.quiet_start && settings.quiet_end ? { start: settings.quiet_start, end: settings.quiet_end } : null,
      preferences: CLIENT_FACING_CATEGORIES.map((category) => {
        const row = byCategory.get(category);
        return {
          category,
          channel:
            row?.channel !== undefined && row.channel !== null && isReminderChannel(row.channel) ? row.channel : null,
          localTime: row?.local_time ?? null,
          optedOut: row?.opted_out ?? false,
        };
      }),
    };
  }

  async updateClient(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    clientId: string,
    change: ClientSettingsChange,
  ): Promise<ClientReminderSettings> {
    const problems: FieldProblem[] = [];
    if (change.quietHours !== undefined && change.quietHours !== null) {
      problems.push(...quietProblems('quietHours', change.quietHours));
    }
    const seen = new Set<string>();
    (change.preferences ?? []).forEach((preference, index) => {
      const at = `preferences[${index}]`;
      if (!isReminderCategory(preference.category)) {
        problems.push({ field: `${at}.category`, rule: 'isIn', message: 'category is a reminder category' });
        return;
      }
      if (!CATEGORY_RULES[preference.category].clientFacing) {
        problems.push({
          field: `${at}.category`,
          rule: 'clientFacing',
          message: 'category is a reminder clients receive (safety and staff reminders cannot be changed here)',
        });
      }
      if (seen.has(preference.category)) {
        problems.push({ field: `${at}.category`, rule: 'unique', message: 'each category appears once' });
      }
      seen.add(preference.category);
      if (preference.channel !== undefined && preference.channel !== null && !isReminderChannel(preference.channel)) {
        problems.push({ field: `${at}.channel`, rule: 'isIn', message: 'channel is in_app, email or sms' });
      }
      if (preference.localTime !== undefined && preference.localTime !== null && !isLocalTime(preference.localTime)) {
        problems.push({ field: `${at}.localTime`, rule: 'isLocalTime', message: 'localTime is HH:MM (24-hour)' });
      }
    });
    if (problems.length > 0) throw new ReminderSettingsError(problems);
    await this.client(tx, clientId);

    if (change.quietHours !== undefined) {
      await tx.query(
        `insert into client_reminder_settings (clinic_id, client_id, quiet_start, quiet_end, updated_by_membership_id, updated_at)
         values ($1, $2, $3, $4, $5, now())
         on conflict (clinic_id, client_id) do update set quiet_start = excluded.quiet_start,
           quiet_end = excluded.quiet_end, updated_by_membership_id = excluded.updated_by_membership_id, updated_at = now()`,
        [
          tx.clinicId,
          clientId,
          change.quietHours?.start ?? null,
          change.quietHours?.end ?? null,
          principal.membershipId,
        ],
      );
    }
    for (const preference of change.preferences ?? []) {
      await tx.query(
        `insert into client_reminder_preferences
           (clinic_id, client_id, category, channel, local_time, opted_out, updated_by_membership_id, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, now())
         on conflict (clinic_id, client_id, category) do update set channel = excluded.channel,
           local_time = excluded.local_time, opted_out = excluded.opted_out,
           updated_by_membership_id = excluded.updated_by_membership_id, updated_at = now()`,
        [
          tx.clinicId,
          clientId,
          preference.category,
          preference.channel ?? null,
          preference.localTime ?? null,
          preference.optedOut ?? false,
          principal.membershipId,
        ],
      );
    }
    await recordAudit(tx, {
      action: 'reminder_preferences.update',
      targetType: 'client',
      targetId: clientId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { categories: change.preferences?.length ?? 0, quietHours: change.quietHours !== undefined },
    });
    return this.client(tx, clientId);
  }
}

function quietProblems(field: string, quiet: { readonly start: string; readonly end: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isLocalTime(quiet.start)) {
    problems.push({ field: `${field}.start`, rule: 'isLocalTime', message: `${field}.start is HH:MM (24-hour)` });
  }
  if (!isLocalTime(quiet.end)) {
    problems.push({ field: `${field}.end`, rule: 'isLocalTime', message: `${field}.end is HH:MM (24-hour)` });
  }
  return problems;
}
