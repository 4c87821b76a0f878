/**
 * The kinds of reminder, who receives them and what they may never do. Titles
 * are content-free: never an exercise name, a measure, a score or a person.
 */
export const REMINDER_CATEGORIES = [
  'assignment_due_soon',
  'assignment_due',
  'assignment_overdue',
  'check_in',
  'session_tomorrow',
  'measure_due',
  'plan_review',
  'note_unsigned',
  'alert_unacknowledged',
  'safety_alert',
  'safety_escalation',
] as const;
export type ReminderCategory = (typeof REMINDER_CATEGORIES)[number];

export const REMINDER_CHANNELS = ['in_app', 'email', 'sms'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

export interface CategoryRule {
  /** Safety messages to staff: never deferred by quiet hours, never opted out of. */
  readonly safety: boolean;
  /** A client may opt out of it (per category). */
  readonly clientFacing: boolean;
  /** In-app title (content-free). */
  readonly title: string;
  /** Email subject and line of the ordinary variant (content-free). */
  readonly emailLine: string;
}

export const CATEGORY_RULES: Readonly<Record<ReminderCategory, CategoryRule>> = {
  assignment_due_soon: {
    safety: false,
    clientFacing: true,
    title: 'Homework is due tomorrow',
    emailLine: 'You have homework due tomorrow.',
  },
  assignment_due: {
    safety: false,
    clientFacing: true,
    title: 'Homework is due today',
    emailLine: 'You have homework due today.',
  },
  assignment_overdue: {
    safety: false,
    clientFacing: true,
    title: 'Homework is waiting for you',
    emailLine: 'You have homework waiting for you.',
  },
  check_in: {
    safety: false,
    clientFacing: true,
    title: 'Time for your check-in',
    emailLine: 'It is time for your check-in.',
  },
  session_tomorrow: {
    safety: false,
    clientFacing: true,
    title: 'You have a session tomorrow',
    emailLine: 'You have a session tomorrow.',
  },
  measure_due: {
    safety: false,
    clientFacing: true,
    title: 'A questionnaire is ready for you',
    emailLine: 'A questionnaire is ready for you.',
  },
  plan_review: {
    safety: false,
    clientFacing: true,
    title: 'A plan review date is coming up',
    emailLine: 'A plan review date is coming up.',
  },
  note_unsigned: {
    safety: false,
    clientFacing: false,
    title: 'You have unsigned notes',
    emailLine: 'You have notes waiting for your signature.',
  },
  alert_unacknowledged: {
    safety: true,
    clientFacing: false,
    title: 'Urgent item awaiting acknowledgement',
    emailLine: 'An urgent item in your caseload is awaiting acknowledgement.',
  },
  safety_alert: {
    safety: true,
    clientFacing: false,
    title: 'Urgent item in your caseload',
    emailLine: 'There is an urgent item in your caseload.',
  },
  safety_escalation: {
    safety: true,
    clientFacing: false,
    title: 'Urgent item awaiting acknowledgement',
    emailLine: 'An urgent item is awaiting acknowledgement and has been escalated to you.',
  },
};

export function isReminderCategory(value: string): value is ReminderCategory {
  return (REMINDER_CATEGORIES as readonly string[]).includes(value);
}

export function isReminderChannel(value: string): value is ReminderChannel {
  return (REMINDER_CHANNELS as readonly string[]).includes(value);
}

/** Categories whose in-app notice the safety queue already delivers: reminders add only the push channels. */
export const PUSH_ONLY_CATEGORIES: readonly ReminderCategory[] = ['safety_alert', 'safety_escalation'];
