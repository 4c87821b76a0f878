import { randomUUID } from 'node:crypto';

import type { TenantTransaction } from '@mend/core';

import { addDays, deferThroughQuietHours, localDateOf, localInstant, type QuietHours } from './local-time.js';
import {
  CATEGORY_RULES,
  PUSH_ONLY_CATEGORIES,
  type ReminderCategory,
  type ReminderChannel,
} from './reminder-categories.js';
import { ReminderSettingsService, type ClinicReminderSettings } from './reminder-settings.js';

/** What the planner looks ahead and behind (a reminder whose time is further back was missed: not created late). */
export interface PlannerWindow {
  /** Reminders due up to this far ahead are written now (they wait in the table until due). */
  readonly horizonMs: number;
  /** Time-bound reminders (check-in, session tomorrow) whose time passed longer ago are not created. */
  readonly lookbackMs: number;
  /** Reminders that stay true until acted on (overdue homework, a due questionnaire) are created this late. */
  readonly catchUpMs: number;
}

export const DEFAULT_PLANNER_WINDOW: PlannerWindow = {
  horizonMs: 36 * 3600_000,
  lookbackMs: 3600_000,
  catchUpMs: 7 * 24 * 3600_000,
};

/** One reminder the rules call for. */
export interface ReminderCandidate {
  readonly category: ReminderCategory;
  readonly recipientMembershipId: string | null;
  readonly recipientClientId: string | null;
  readonly caseId: string | null;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly occurrenceKey: string;
  /** The nominal time (before quiet hours). */
  readonly dueAt: Date;
  readonly zone: string;
  readonly quietHours: QuietHours | null;
  readonly channels: readonly ReminderChannel[];
  readonly discreet: boolean;
}

/** A client as a reminder recipient: contact, timezone and preferences. */
interface ClientRecipient {
  client_id: string;
  membership_id: string | null;
  email: string | null;
  phone: string | null;
  timezone: string;
  reminder_channel: string;
  reminder_time: string | null;
  discreet_notifications: boolean;
  quiet_start: string | null;
  quiet_end: string | null;
  prefs: Record<string, { channel: string | null; local_time: string | null; opted_out: boolean }> | null;
}

const CLIENT_RECIPIENT_COLUMNS = `
  k.id as client_id, k.membership_id, k.email, k.phone, k.timezone, k.reminder_channel,
  to_char(k.reminder_time, 'HH24:MI') as reminder_time, k.discreet_notifications,
  crs.quiet_start, crs.quiet_end,
  (select jsonb_object_agg(p.category, jsonb_build_object('channel', p.channel, 'local_time', p.local_time, 'opted_out', p.opted_out))
     from client_reminder_preferences p where p.clinic_id = k.clinic_id and p.client_id = k.id) as prefs`;

const CLIENT_RECIPIENT_JOINS = `
  left join client_reminder_settings crs on crs.clinic_id = k.clinic_id and crs.client_id = k.id
  left join memberships km on km.clinic_id = k.clinic_id and km.id = k.membership_id`;

interface StaffRecipient {
  membership_id: string;
  email: string | null;
}

/**
 * The reminder rules: turns the clinic's assignments, sessions, measures, plans,
 * notes and alerts into reminder rows, each with its fire time computed in the
 * recipient's timezone and deferred through quiet hours (safety: never).
 * Idempotent: a row per (category, source, occurrence, recipient) is written
 * once (`on conflict do nothing` on the dedupe key), so any number of planners
 * may run; opt-outs and a safety hold are applied here and again at delivery.
 */
export class ReminderPlanner {
  constructor(
    private readonly settings: ReminderSettingsService = new ReminderSettingsService(),
    private readonly window: PlannerWindow = DEFAULT_PLANNER_WINDOW,
  ) {}

  /** Plans the clinic's reminders as of `now`; answers how many new rows were written. */
  async plan(tx: TenantTransaction, now: Date): Promise<number> {
    const clinic = await this.settings.clinic(tx);
    const [clinicRow] = await tx.query<{ timezone: string }>('select timezone from clinics where id = $1', [
      tx.clinicId,
    ]);
    const clinicZone = clinicRow?.timezone ?? 'UTC';
    const context: PlanContext = { tx, now, clinic, clinicZone, window: this.window };
    const candidates = [
      ...(await assignmentCandidates(context)),
      ...(await checkInCandidates(context)),
      ...(await sessionCandidates(context)),
      ...(await measureCandidates(context)),
      ...(await planReviewCandidates(context)),
      ...(await unsignedNoteCandidates(context)),
      ...(await alertCandidates(context)),
    ];
    return insertCandidates(tx, candidates);
  }
}

interface PlanContext {
  readonly tx: TenantTransaction;
  readonly now: Date;
  readonly clinic: ClinicReminderSettings;
  readonly clinicZone: string;
  readonly window: PlannerWindow;
}

function inWindow(context: PlanContext, dueAt: Date, catchUp = false): boolean {
  const at = dueAt.getTime();
  const now = context.now.getTime();
  return (
    at <= now + context.window.horizonMs && at >= now - (catchUp ? context.window.catchUpMs : context.window.lookbackMs)
  );
}

function preferenceOf(recipient: ClientRecipient, category: ReminderCategory) {
  return recipient.prefs?.[category] ?? null;
}

/** The client's local time for a category: their override, their chosen time, the clinic's default. */
function clientLocalTime(context: PlanContext, recipient: ClientRecipient, category: ReminderCategory): string {
  return preferenceOf(recipient, category)?.local_time ?? recipient.reminder_time ?? context.clinic.localTime;
}

/** The channels of a client reminder: in-app with a portal account, plus their preferred push channel if the clinic sends on it. */
export function clientChannels(
  clinic: ClinicReminderSettings,
  recipient: Pick<ClientRecipient, 'membership_id' | 'email' | 'phone' | 'reminder_channel' | 'prefs'>,
  category: ReminderCategory,
): ReminderChannel[] {
  const channels: ReminderChannel[] = [];
  const hasPortal = recipient.membership_id !== null;
  if (hasPortal && clinic.channels.includes('in_app')) channels.push('in_app');
  const preferred = recipient.prefs?.[category]?.channel ?? recipient.reminder_channel;
  if (preferred === 'email' && recipient.email !== null && clinic.channels.includes('email')) channels.push('email');
  if (preferred === 'sms' && recipient.phone !== null && clinic.channels.includes('sms')) channels.push('sms');
  if (channels.length === 0 && hasPortal) channels.push('in_app');
  return channels;
}

function clientQuiet(context: PlanContext, recipient: ClientRecipient): QuietHours {
  return recipient.quiet_start !== null && recipient.quiet_end !== null
    ? { start: recipient.quiet_start, end: recipient.quiet_end }
    : context.clinic.quietHours;
}

function clientCandidate(
  context: PlanContext,
  recipient: ClientRecipient,
  input: {
    category: ReminderCategory;
    caseId: string | null;
    sourceType: string;
    sourceId: string;
    occurrenceKey: string;
    dueAt: Date;
  },
): ReminderCandidate | null {
  if (preferenceOf(recipient, input.category)?.opted_out === true) return null;
  const channels = clientChannels(context.clinic, recipient, input.category);
  if (channels.length === 0) return null;
  return {
    ...input,
    recipientMembershipId: recipient.membership_id,
    recipientClientId: recipient.client_id,
    zone: recipient.timezone,
    quietHours: clientQuiet(context, recipient),
    channels,
    discreet: recipient.discreet_notifications,
  };
}

function staffChannels(
  clinic: ClinicReminderSettings,
  staff: StaffRecipient,
  category: ReminderCategory,
): ReminderChannel[] {
  const channels: ReminderChannel[] = [];
  if (!PUSH_ONLY_CATEGORIES.includes(category)) channels.push('in_app');
  if (staff.email !== null && clinic.channels.includes('email')) channels.push('email');
  return channels;
}

function staffCandidate(
  context: PlanContext,
  staff: StaffRecipient,
  input: {
    category: ReminderCategory;
    caseId: string | null;
    sourceType: string;
    sourceId: string;
    occurrenceKey: string;
    dueAt: Date;
  },
): ReminderCandidate | null {
  const channels = staffChannels(context.clinic, staff, input.category);
  if (channels.length === 0) return null;
  return {
    ...input,
    recipientMembershipId: staff.membership_id,
    recipientClientId: null,
    zone: context.clinicZone,
    quietHours: context.clinic.quietHours,
    channels,
    discreet: false,
  };
}

/** Dates (UTC-bounded) around now that cover every timezone's today ± the window. */
function dateBounds(context: PlanContext): { from: string; to: string } {
  const from = new Date(context.now.getTime() - context.window.catchUpMs - 2 * 86_400_000);
  const to = new Date(context.now.getTime() + context.window.horizonMs + 2 * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

async function assignmentCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const { from, to } = dateBounds(context);
  const rows = await context.tx.query<
    ClientRecipient & {
      occurrence_id: string;
      case_id: string;
      opens_on: string;
      due_on: string;
      joint: boolean;
      held: boolean;
    }
  >(
    `select o.id as occurrence_id, o.case_id, o.opens_on::text as opens_on, o.due_on::text as due_on,
            (a.paired or a.visibility in ('shared', 'reveal')) as joint, c.safety_status = 'safety_hold' as held,
            ${CLIENT_RECIPIENT_COLUMNS}
       from assignment_occurrences o
       join assignments a on a.clinic_id = o.clinic_id and a.id = o.assignment_id
       join cases c on c.clinic_id = o.clinic_id and c.id = o.case_id
       join clients k on k.clinic_id = o.clinic_id and k.id = o.client_id
       ${CLIENT_RECIPIENT_JOINS}
      where o.clinic_id = $1 and o.status in ('assigned', 'in_progress', 'overdue') and a.status = 'active'
        and c.status <> 'closed' and k.status = 'active' and (km.id is null or km.status = 'active')
        and o.due_on between $2::date and $3::date`,
    [context.tx.clinicId, from, to],
  );
  const candidates: ReminderCandidate[] = [];
  for (const row of rows) {
    if (row.held && row.joint) continue;
    const steps: [ReminderCategory, string, boolean][] = [
      ['assignment_due_soon', addDays(row.due_on, -1), false],
      ['assignment_due', row.due_on, false],
      ['assignment_overdue', addDays(row.due_on, 1), true],
    ];
    for (const [category, date, catchUp] of steps) {
      if (category === 'assignment_due_soon' && date < row.opens_on) continue;
      const dueAt = localInstant(date, clientLocalTime(context, row, category), row.timezone);
      if (!inWindow(context, dueAt, catchUp)) continue;
      const candidate = clientCandidate(context, row, {
        category,
        caseId: row.case_id,
        sourceType: 'assignment_occurrence',
        sourceId: row.occurrence_id,
        occurrenceKey: row.due_on,
        dueAt,
      });
      if (candidate !== null) candidates.push(candidate);
    }
  }
  return candidates;
}

async function checkInCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const rows = await context.tx.query<ClientRecipient & { case_id: string }>(
    `select p.case_id, ${CLIENT_RECIPIENT_COLUMNS}
       from case_participants p
       join cases c on c.clinic_id = p.clinic_id and c.id = p.case_id
       join clients k on k.clinic_id = p.clinic_id and k.id = p.client_id
       ${CLIENT_RECIPIENT_JOINS}
      where p.clinic_id = $1 and c.status = 'active' and c.safety_status = 'normal' and k.status = 'active'
        and k.membership_id is not null and km.status = 'active'
        and (k.reminder_time is not null or exists (
          select 1 from client_reminder_preferences q
           where q.clinic_id = k.clinic_id and q.client_id = k.id and q.category = 'check_in' and q.local_time is not null))`,
    [context.tx.clinicId],
  );
  const candidates: ReminderCandidate[] = [];
  for (const row of rows) {
    const today = localDateOf(context.now, row.timezone);
    for (const date of [today, addDays(today, 1)]) {
      const dueAt = localInstant(date, clientLocalTime(context, row, 'check_in'), row.timezone);
      if (!inWindow(context, dueAt)) continue;
      const candidate = clientCandidate(context, row, {
        category: 'check_in',
        caseId: row.case_id,
        sourceType: 'case',
        sourceId: row.case_id,
        occurrenceKey: date,
        dueAt,
      });
      if (candidate !== null) candidates.push(candidate);
    }
  }
  return candidates;
}

async function sessionCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const rows = await context.tx.query<
    ClientRecipient & { session_id: string; case_id: string; starts_at: Date; joint: boolean; held: boolean }
  >(
    `select s.id as session_id, s.case_id, s.starts_at, s.kind = 'joint' as joint, c.safety_status = 'safety_hold' as held,
            ${CLIENT_RECIPIENT_COLUMNS}
       from therapy_sessions s
       join cases c on c.clinic_id = s.clinic_id and c.id = s.case_id
       join case_participants p on p.clinic_id = s.clinic_id and p.case_id = s.case_id
        and (s.kind = 'joint' or p.client_id = s.individual_client_id)
       join clients k on k.clinic_id = p.clinic_id and k.id = p.client_id
       ${CLIENT_RECIPIENT_JOINS}
      where s.clinic_id = $1 and s.status = 'scheduled' and s.starts_at > $2 and s.starts_at < $3
        and k.status = 'active' and (km.id is null or km.status = 'active')`,
    [
      context.tx.clinicId,
      context.now.toISOString(),
      new Date(context.now.getTime() + context.window.horizonMs + 2 * 86_400_000).toISOString(),
    ],
  );
  const candidates: ReminderCandidate[] = [];
  for (const row of rows) {
    if (row.held && row.joint) continue;
    const startsAt = new Date(row.starts_at);
    const dayBefore = addDays(localDateOf(startsAt, row.timezone), -1);
    const dueAt = localInstant(dayBefore, clientLocalTime(context, row, 'session_tomorrow'), row.timezone);
    if (!inWindow(context, dueAt) || dueAt.getTime() >= startsAt.getTime()) continue;
    const candidate = clientCandidate(context, row, {
      category: 'session_tomorrow',
      caseId: row.case_id,
      sourceType: 'therapy_session',
      sourceId: row.session_id,
      occurrenceKey: String(startsAt.getTime()),
      dueAt,
    });
    if (candidate !== null) candidates.push(candidate);
  }
  return candidates;
}

async function measureCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const rows = await context.tx.query<ClientRecipient & { administration_id: string; case_id: string; due_at: Date }>(
    `select m.id as administration_id, m.case_id, m.due_at, ${CLIENT_RECIPIENT_COLUMNS}
       from measure_administrations m
       join cases c on c.clinic_id = m.clinic_id and c.id = m.case_id
       join clients k on k.clinic_id = m.clinic_id and k.id = m.client_id
       ${CLIENT_RECIPIENT_JOINS}
      where m.clinic_id = $1 and m.status = 'due' and m.due_at is not null and m.due_at between $2 and $3
        and c.status <> 'closed' and k.status = 'active' and k.membership_id is not null and km.status = 'active'`,
    [
      context.tx.clinicId,
      new Date(context.now.getTime() - context.window.catchUpMs).toISOString(),
      new Date(context.now.getTime() + context.window.horizonMs).toISOString(),
    ],
  );
  return rows.flatMap((row) => {
    const candidate = clientCandidate(context, row, {
      category: 'measure_due',
      caseId: row.case_id,
      sourceType: 'measure_administration',
      sourceId: row.administration_id,
      occurrenceKey: 'due',
      dueAt: new Date(row.due_at),
    });
    return candidate === null ? [] : [candidate];
  });
}

const PLAN_REVIEW_DAYS_BEFORE = 3;

async function planReviewCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const { from, to } = dateBounds(context);
  const staff = await context.tx.query<StaffRecipient & { case_id: string; review_date: string }>(
    `select r.case_id, r.review_date::text as review_date, t.membership_id, u.email
       from repair_plans r
       join cases c on c.clinic_id = r.clinic_id and c.id = r.case_id
       join case_care_team t on t.clinic_id = r.clinic_id and t.case_id = r.case_id and t.is_primary
       join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id and m.status = 'active'
       left join users u on u.id = m.user_id
      where r.clinic_id = $1 and r.review_date between $2::date and $3::date and c.status <> 'closed'`,
    [context.tx.clinicId, from, to],
  );
  const candidates: ReminderCandidate[] = [];
  for (const row of staff) {
    const dueAt = localInstant(
      addDays(row.review_date, -PLAN_REVIEW_DAYS_BEFORE),
      context.clinic.localTime,
      context.clinicZone,
    );
    if (!inWindow(context, dueAt)) continue;
    const candidate = staffCandidate(context, row, {
      category: 'plan_review',
      caseId: row.case_id,
      sourceType: 'repair_plan',
      sourceId: row.case_id,
      occurrenceKey: row.review_date,
      dueAt,
    });
    if (candidate !== null) candidates.push(candidate);
  }
  const participants = await context.tx.query<ClientRecipient & { case_id: string; review_date: string }>(
    `select r.case_id, r.review_date::text as review_date, ${CLIENT_RECIPIENT_COLUMNS}
       from repair_plans r
       join cases c on c.clinic_id = r.clinic_id and c.id = r.case_id
       join case_participants p on p.clinic_id = r.clinic_id and p.case_id = r.case_id
       join clients k on k.clinic_id = p.clinic_id and k.id = p.client_id
       ${CLIENT_RECIPIENT_JOINS}
      where r.clinic_id = $1 and r.review_date between $2::date and $3::date and c.status <> 'closed'
        and c.safety_status = 'normal' and k.status = 'active' and k.membership_id is not null and km.status = 'active'`,
    [context.tx.clinicId, from, to],
  );
  for (const row of participants) {
    const date = addDays(row.review_date, -PLAN_REVIEW_DAYS_BEFORE);
    const dueAt = localInstant(date, clientLocalTime(context, row, 'plan_review'), row.timezone);
    if (!inWindow(context, dueAt)) continue;
    const candidate = clientCandidate(context, row, {
      category: 'plan_review',
      caseId: row.case_id,
      sourceType: 'repair_plan',
      sourceId: row.case_id,
      occurrenceKey: row.review_date,
      dueAt,
    });
    if (candidate !== null) candidates.push(candidate);
  }
  return candidates;
}

/** A note still unsigned a day after it was started. */
const UNSIGNED_AFTER_MS = 24 * 3600_000;

async function unsignedNoteCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const rows = await context.tx.query<StaffRecipient>(
    `select distinct n.author_membership_id as membership_id, u.email
       from progress_notes n
       join memberships m on m.clinic_id = n.clinic_id and m.id = n.author_membership_id and m.status = 'active'
       left join users u on u.id = m.user_id
      where n.clinic_id = $1 and n.status = 'draft' and n.created_at < $2`,
    [context.tx.clinicId, new Date(context.now.getTime() - UNSIGNED_AFTER_MS).toISOString()],
  );
  const today = localDateOf(context.now, context.clinicZone);
  const candidates: ReminderCandidate[] = [];
  for (const row of rows) {
    for (const date of [today, addDays(today, 1)]) {
      const dueAt = localInstant(date, context.clinic.localTime, context.clinicZone);
      if (!inWindow(context, dueAt)) continue;
      const candidate = staffCandidate(context, row, {
        category: 'note_unsigned',
        caseId: null,
        sourceType: 'membership',
        sourceId: row.membership_id,
        occurrenceKey: date,
        dueAt,
      });
      if (candidate !== null) candidates.push(candidate);
    }
  }
  return candidates;
}

/** Unacknowledged alerts: first reminder an hour after raising, then every four hours while open. */
const ALERT_FIRST_MS = 3600_000;
const ALERT_EVERY_MS = 4 * 3600_000;
const ALERT_MAX_REMINDERS = 18;

async function alertCandidates(context: PlanContext): Promise<ReminderCandidate[]> {
  const rows = await context.tx.query<
    StaffRecipient & {
      alert_id: string;
      case_id: string;
      status: string;
      raised_at: Date;
      escalated_at: Date | null;
      escalated_to: boolean;
    }
  >(
    `select a.id as alert_id, a.case_id, a.status, a.raised_at, a.escalated_at, false as escalated_to, t.membership_id, u.email
       from safety_alerts a
       join case_care_team t on t.clinic_id = a.clinic_id and t.case_id = a.case_id
       join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id and m.status = 'active'
       left join users u on u.id = m.user_id
      where a.clinic_id = $1 and (a.status = 'open' or a.raised_at > $2)
     union all
     select a.id, a.case_id, a.status, a.raised_at, a.escalated_at, true, a.escalated_to_membership_id, u.email
       from safety_alerts a
       join memberships m on m.clinic_id = a.clinic_id and m.id = a.escalated_to_membership_id and m.status = 'active'
       left join users u on u.id = m.user_id
      where a.clinic_id = $1 and a.escalated_at is not null and a.escalated_at > $2`,
    [context.tx.clinicId, new Date(context.now.getTime() - context.window.lookbackMs).toISOString()],
  );
  const now = context.now.getTime();
  const candidates: ReminderCandidate[] = [];
  const push = (candidate: ReminderCandidate | null) => {
    if (candidate !== null) candidates.push(candidate);
  };
  for (const row of rows) {
    const raisedAt = new Date(row.raised_at).getTime();
    const base = { caseId: row.case_id, sourceType: 'safety_alert', sourceId: row.alert_id };
    if (row.escalated_to) {
      const escalatedAt = new Date(row.escalated_at ?? row.raised_at);
      if (inWindow(context, escalatedAt)) {
        push(
          staffCandidate(context, row, {
            ...base,
            category: 'safety_escalation',
            occurrenceKey: 'escalated',
            dueAt: escalatedAt,
          }),
        );
      }
      continue;
    }
    if (inWindow(context, new Date(raisedAt))) {
      push(
        staffCandidate(context, row, {
          ...base,
          category: 'safety_alert',
          occurrenceKey: 'raised',
          dueAt: new Date(raisedAt),
        }),
      );
    }
    if (row.status !== 'open') continue;
    const elapsed = now - raisedAt - ALERT_FIRST_MS;
    const current = Math.max(0, Math.floor(elapsed / ALERT_EVERY_MS));
    for (const index of [current, current + 1]) {
      if (index >= ALERT_MAX_REMINDERS) continue;
      const dueAt = new Date(raisedAt + ALERT_FIRST_MS + index * ALERT_EVERY_MS);
      if (!inWindow(context, dueAt)) continue;
      push(
        staffCandidate(context, row, { ...base, category: 'alert_unacknowledged', occurrenceKey: `u${index}`, dueAt }),
      );
    }
  }
  return candidates;
}

export function dedupeKeyOf(
  candidate: Pick<
    ReminderCandidate,
    'category' | 'sourceId' | 'occurrenceKey' | 'recipientMembershipId' | 'recipientClientId'
  >,
): string {
  const recipient = candidate.recipientClientId ?? candidate.recipientMembershipId ?? '';
  return `${candidate.category}|${candidate.sourceId}|${candidate.occurrenceKey}|${recipient}`.toLowerCase();
}

/** Writes the candidates (fire time after quiet hours; safety never deferred); answers how many rows are new. */
export async function insertCandidates(
  tx: TenantTransaction,
  candidates: readonly ReminderCandidate[],
): Promise<number> {
  if (candidates.length === 0) return 0;
  let inserted = 0;
  for (let start = 0; start < candidates.length; start += 500) {
    const chunk = candidates.slice(start, start + 500);
    const rows = chunk.map((candidate) => {
      const { fireAt, deferredFrom } = CATEGORY_RULES[candidate.category].safety
        ? { fireAt: candidate.dueAt, deferredFrom: null }
        : deferThroughQuietHours(candidate.dueAt, candidate.zone, candidate.quietHours);
      return { candidate, fireAt, deferredFrom };
    });
    const result = await tx.query<{ id: string }>(
      `insert into reminders (clinic_id, id, category, recipient_membership_id, recipient_client_id, case_id, source_type,
                              source_id, occurrence_key, dedupe_key, channels, discreet, due_at, fire_at, deferred_from)
       select $1, t.id, t.category, t.recipient_membership_id, t.recipient_client_id, t.case_id, t.source_type, t.source_id,
              t.occurrence_key, t.dedupe_key, string_to_array(t.channels, ','), t.discreet, t.due_at, t.fire_at, t.deferred_from
         from unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::text[], $10::text[],
                     $11::text[], $12::boolean[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[])
           as t(id, category, recipient_membership_id, recipient_client_id, case_id, source_type, source_id, occurrence_key,
                dedupe_key, channels, discreet, due_at, fire_at, deferred_from)
       on conflict (clinic_id, dedupe_key) do nothing
       returning id`,
      [
        tx.clinicId,
        rows.map(() => randomUUID()),
        rows.map((row) => row.candidate.category),
        rows.map((row) => row.candidate.recipientMembershipId),
        rows.map((row) => row.candidate.recipientClientId),
        rows.map((row) => row.candidate.caseId),
        rows.map((row) => row.candidate.sourceType),
        rows.map((row) => row.candidate.sourceId),
        rows.map((row) => row.candidate.occurrenceKey),
        rows.map((row) => dedupeKeyOf(row.candidate)),
        rows.map((row) => row.candidate.channels.join(',')),
        rows.map((row) => row.candidate.discreet),
        rows.map((row) => row.candidate.dueAt.toISOString()),
        rows.map((row) => row.fireAt.toISOString()),
        rows.map((row) => row.deferredFrom?.toISOString() ?? null),
      ],
    );
    inserted += result.length;
  }
  return inserted;
}
