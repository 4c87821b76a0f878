import { AccessResourceLoader, caseViewerOf, type CaseViewer } from '@mend/access';
import type { FieldEncryption, TenantTransaction } from '@mend/core';
import {
  Assignments,
  builtInExercise,
  Submissions,
  type Answers,
  type HomeworkClock,
  type ScalarField,
} from '@mend/homework';
import { InAppDisclosureNotifier, NotificationCenter } from '@mend/notifications';
import { DisclosureLog, localDate } from '@mend/repair-plans';

import { DEMO_CASE_ID, DEMO_CLIENT_IDS } from './demo-cases.js';

const DAY_MS = 86_400_000;

/** A clock the seed moves through the past, so each row is dated as if written then. */
class SeedClock implements HomeworkClock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  set(instant: Date): void {
    this.current = instant;
  }
}

async function viewerFor(tx: TenantTransaction, membershipId: string): Promise<CaseViewer> {
  const loader = new AccessResourceLoader();
  const principal = await loader.memberPrincipal(tx, membershipId);
  const resource = await loader.case(tx, DEMO_CASE_ID);
  if (principal === null || resource === null) throw new Error('the demo case or its member is missing');
  return caseViewerOf(principal, resource);
}

const DEMO_TEXT = 'We talked after dinner and kept it calm; it felt easier than last week.';

/** A plausible value for one field (synthetic). */
function demoValue(field: ScalarField): unknown {
  switch (field.type) {
    case 'text': {
      const text = DEMO_TEXT.repeat(Math.max(1, Math.ceil((field.minLength ?? 1) / DEMO_TEXT.length)));
      return text.slice(0, field.maxLength);
    }
    case 'rating_0_10':
      return 6;
    case 'likert_1_5':
      return 4;
    case 'checklist':
      return { selected: field.options.slice(0, Math.max(1, field.minSelected ?? 1)).map((option) => option.value) };
    case 'select':
      return field.options[0].value;
    case 'bool':
      return true;
    case 'date':
      return '2026-01-15';
    case 'datetime':
      return '2026-01-15T19:00:00Z';
    case 'time':
      return '19:00';
    case 'number': {
      const value = field.min ?? 1;
      return field.max !== undefined ? Math.min(value, field.max) : value;
    }
  }
}

/** Answers to every field of a built-in exercise (or of one part): valid for submission. */
export function demoAnswers(exerciseKey: string, part?: string): Answers {
  const exercise = builtInExercise(exerciseKey);
  if (exercise === undefined) throw new Error(`no built-in exercise ${exerciseKey}`);
  const answers: Answers = {};
  for (const field of exercise.responseSchema.fields) {
    if (part !== undefined && field.part !== part) continue;
    if (field.type === 'rows') {
      const row: Record<string, unknown> = {};
      for (const column of field.columns) row[column.key] = demoValue(column);
      answers[field.key] = Array.from({ length: Math.max(1, field.minRows ?? 1) }, () => ({ ...row }));
    } else {
      answers[field.key] = demoValue(field);
    }
  }
  return answers;
}

/**
 * Demo homework of the couple case (synthetic), written through the homework
 * services as the API writes it (valid against the pinned schemas, answers
 * encrypted, every step audited, reveals in the disclosure log), each row dated
 * in the past by moving the services' clock:
 *
 * - E07 (shared), paired to both partners, weekly for four weeks from three
 *   weeks ago: Jordan submitted every past week on time; Casey the first on
 *   time, the second a day late, the third not at all (overdue); this week's is
 *   open for both.
 * - E20 (shared, paired with parts: Jordan asks, Casey responds), due ten days
 *   ago: both submitted; the counselor gave feedback on Casey's.
 * - E08 (reveal, paired), due five days ago: both submitted, so both see both.
 * - E11 (shared) for Jordan, due in three days: a saved draft (the portal's
 *   "today" shows it to resume).
 *
 * Only shared and reveal exercises: the demo keeps its secrets policy unsigned so
 * the portal shows the signing step, and individual channels (private,
 * clinician, release) stay closed until it is signed. Skipped when the case
 * already has homework (idempotent).
 */
export async function seedDemoHomework(
  tx: TenantTransaction,
  members: ReadonlyMap<string, string>,
  encryption: FieldEncryption,
  now: Date = new Date(),
): Promise<void> {
  const existing = await tx.query<{ n: number }>(
    'select count(*)::int as n from assignments where clinic_id = $1 and case_id = $2',
    [tx.clinicId, DEMO_CASE_ID],
  );
  if (existing[0].n > 0) return;
  const day = (offset: number) => localDate(new Date(now.getTime() + offset * DAY_MS), 'Europe/London');
  // 18:00 UTC is 18:00 or 19:00 in London, the same calendar day all year.
  const evening = (offset: number) => new Date(`${day(offset)}T18:00:00Z`);
  const clock = new SeedClock(new Date(`${day(-21)}T08:00:00Z`));
  const assignments = new Assignments(clock);
  const submissions = new Submissions(
    encryption,
    new DisclosureLog(new InAppDisclosureNotifier(new NotificationCenter())),
    clock,
  );
  const counselor = await viewerFor(tx, members.get('counselor') as string);
  const jordan = await viewerFor(tx, members.get('client1') as string);
  const casey = await viewerFor(tx, members.get('client2') as string);
  const both = [{ clientId: DEMO_CLIENT_IDS.client1 }, { clientId: DEMO_CLIENT_IDS.client2 }];

  const weekly = await assignments.create(tx, counselor, {
    exerciseRef: 'E07',
    recipients: both,
    schedule: { kind: 'recurring', frequency: 'weekly', startsOn: day(-21), count: 4 },
  });
  const questions = await assignments.create(tx, counselor, {
    exerciseRef: 'E20',
    recipients: [
      { clientId: DEMO_CLIENT_IDS.client1, part: 'asker' },
      { clientId: DEMO_CLIENT_IDS.client2, part: 'responder' },
    ],
    schedule: { kind: 'once', opensOn: day(-12), dueOn: day(-10) },
  });
  const reveal = await assignments.create(tx, counselor, {
    exerciseRef: 'E08',
    recipients: both,
    schedule: { kind: 'once', opensOn: day(-8), dueOn: day(-5) },
  });
  const agreement = await assignments.create(tx, counselor, {
    exerciseRef: 'E11',
    recipients: [{ clientId: DEMO_CLIENT_IDS.client1 }],
    schedule: { kind: 'once', opensOn: day(-1), dueOn: day(3) },
  });

  const occurrenceOf = (
    detail: { occurrences: readonly { id: string; clientId: string; dueOn: string }[] },
    clientId: string,
    dueOn?: string,
  ): string => {
    const found = detail.occurrences.find(
      (occurrence) =>
        occurrence.clientId.toLowerCase() === clientId.toLowerCase() &&
        (dueOn === undefined || occurrence.dueOn === dueOn),
    );
    if (found === undefined) throw new Error('a demo occurrence is missing');
    return found.id;
  };
  const submit = async (viewer: CaseViewer, occurrenceId: string, at: Date, answers: Answers) => {
    clock.set(at);
    await submissions.submit(tx, viewer, occurrenceId, { answers });
  };

  // The weekly check-in (E07), oldest first.
  for (const offset of [-21, -14, -7]) {
    await submit(
      jordan,
      occurrenceOf(weekly, DEMO_CLIENT_IDS.client1, day(offset)),
      evening(offset),
      demoAnswers('E07'),
    );
  }
  await submit(casey, occurrenceOf(weekly, DEMO_CLIENT_IDS.client2, day(-21)), evening(-21), demoAnswers('E07'));
  await submit(casey, occurrenceOf(weekly, DEMO_CLIENT_IDS.client2, day(-14)), evening(-13), demoAnswers('E07'));

  // The paired questions (E20): Jordan asks, Casey responds; the counselor's feedback on the response.
  await submit(jordan, occurrenceOf(questions, DEMO_CLIENT_IDS.client1), evening(-11), demoAnswers('E20', 'asker'));
  await submit(casey, occurrenceOf(questions, DEMO_CLIENT_IDS.client2), evening(-10), demoAnswers('E20', 'responder'));
  clock.set(evening(-9));
  await submissions.addFeedback(tx, counselor, occurrenceOf(questions, DEMO_CLIENT_IDS.client2), {
    note: 'Thank you for answering without defending. Bring this to Thursday.',
  });

  // The reveal (E08): nobody saw either until both were in.
  await submit(casey, occurrenceOf(reveal, DEMO_CLIENT_IDS.client2), evening(-7), demoAnswers('E08'));
  await submit(jordan, occurrenceOf(reveal, DEMO_CLIENT_IDS.client1), evening(-6), demoAnswers('E08'));

  // A draft to resume (E11).
  clock.set(evening(-1));
  await submissions.saveDraft(tx, jordan, occurrenceOf(agreement, DEMO_CLIENT_IDS.client1), {
    version: 0,
    answers: {},
  });
}
