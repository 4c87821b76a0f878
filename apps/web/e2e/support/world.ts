import { randomBytes } from 'node:crypto';

import { ApiSession } from './api.js';
import { DEMO } from './env.js';

/**
 * Test data for the portal journeys, created through the API as the demo
 * counselor (the counselor's own screens are tested in counselor-*.browser.ts):
 * the demo couple case, and a clinic exercise whose response schema holds every
 * field type of clinical.md §2.1, assigned paired with the `reveal` visibility.
 */
export interface CoupleCase {
  readonly caseId: string;
  /** Jordan Pike (client.one@…), the harmed partner. */
  readonly jordanClientId: string;
  /** Casey Pike (client.two@…). */
  readonly caseyClientId: string;
}

interface CaseItem {
  readonly id: string;
  readonly participants: { readonly clientId: string; readonly displayName: string }[];
}

export async function counselor(): Promise<ApiSession> {
  return ApiSession.signIn(DEMO.counselor);
}

export async function demoCouple(api: ApiSession): Promise<CoupleCase> {
  const page = await api.get<{ items: CaseItem[] }>('/api/v1/cases?limit=50');
  for (const item of page.items) {
    const jordan = item.participants.find((participant) => participant.displayName === 'Jordan Pike');
    const casey = item.participants.find((participant) => participant.displayName === 'Casey Pike');
    if (jordan !== undefined && casey !== undefined)
      return { caseId: item.id, jordanClientId: jordan.clientId, caseyClientId: casey.clientId };
  }
  throw new Error('the demo couple case is missing (seed:demo)');
}

/** A unique marker to find this run's records on screen. */
export function marker(): string {
  return randomBytes(3).toString('hex');
}

/** A clinic exercise with one field of every type (text, scales, choices, dates, number, rows), coach mode "on". */
export function everyFieldExercise(title: string): Record<string, unknown> {
  return {
    title,
    instructions:
      'Each of you fills this in on your own. You will see each other’s answers once you have both sent yours.',
    prompts: [{ text: 'Think of one moment this week when you felt close, and one when you did not.' }],
    audience: 'each',
    phases: ['P1', 'P2'],
    defaultVisibility: 'reveal',
    switchableVisibility: ['clinician'],
    coachMode: 'on',
    estimatedMinutes: 10,
    frequency: 'weekly',
    seedConcepts: ['S10'],
    responseSchema: {
      fields: [
        {
          key: 'moment',
          type: 'text',
          label: 'A moment that was hard, in your own words',
          required: true,
          maxLength: 2000,
          multiline: true,
        },
        {
          key: 'closeness',
          type: 'rating_0_10',
          label: 'How close did you feel this week?',
          required: true,
          anchors: [
            { value: 0, label: 'not at all' },
            { value: 10, label: 'very close' },
          ],
        },
        { key: 'listened', type: 'likert_1_5', label: 'We listened to each other' },
        {
          key: 'helped',
          type: 'checklist',
          label: 'What helped',
          options: [
            { value: 'walk', label: 'a walk together' },
            { value: 'pause', label: 'taking a pause' },
          ],
          allowOther: true,
          otherLabel: 'something else',
        },
        {
          key: 'mood',
          type: 'select',
          label: 'My mood today',
          options: [
            { value: 'calm', label: 'calm' },
            { value: 'tense', label: 'tense' },
          ],
        },
        { key: 'talked', type: 'bool', label: 'We talked about it', required: true },
        { key: 'day', type: 'date', label: 'The day it happened' },
        { key: 'at', type: 'datetime', label: 'When exactly' },
        { key: 'time_of_day', type: 'time', label: 'Time of our check-in' },
        {
          key: 'minutes',
          type: 'number',
          unit: 'minutes',
          label: 'Minutes we talked',
          min: 0,
          max: 600,
          integer: true,
        },
        {
          key: 'moments',
          type: 'rows',
          label: 'Good moments',
          rowLabel: 'moment',
          maxRows: 5,
          columns: [
            { key: 'what', type: 'text', label: 'What happened', required: true, maxLength: 500 },
            { key: 'felt', type: 'rating_0_10', label: 'How it felt' },
          ],
        },
      ],
    },
  };
}

export interface PairedAssignment {
  readonly assignmentId: string;
  readonly title: string;
  readonly jordanOccurrenceId: string;
  readonly caseyOccurrenceId: string;
}

/** Creates the every-field exercise and assigns it to both partners, paired, `reveal`, due in two days. */
export async function assignPairedReveal(api: ApiSession, couple: CoupleCase): Promise<PairedAssignment> {
  const title = `Closeness check ${marker()}`;
  const exercise = await api.post<{ ref: string }>('/api/v1/exercises', everyFieldExercise(title));
  const dueOn = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const assignment = await api.post<{
    id: string;
    occurrences: { id: string; clientId: string }[];
  }>(`/api/v1/cases/${couple.caseId}/assignments`, {
    exerciseRef: exercise.ref,
    recipients: [{ clientId: couple.jordanClientId }, { clientId: couple.caseyClientId }],
    visibility: 'reveal',
    schedule: { kind: 'once', dueOn },
  });
  const of = (clientId: string) => {
    const occurrence = assignment.occurrences.find((item) => item.clientId === clientId);
    if (occurrence === undefined) throw new Error('the assignment has no occurrence for a partner');
    return occurrence.id;
  };
  return {
    assignmentId: assignment.id,
    title,
    jordanOccurrenceId: of(couple.jordanClientId),
    caseyOccurrenceId: of(couple.caseyClientId),
  };
}
