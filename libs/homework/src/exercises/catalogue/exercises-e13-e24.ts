import type { ExerciseDefinition } from '../exercise.types.js';
import {
  CONSEQUENCE_TIERS,
  FEELINGS,
  NOT_AT_ALL_COMPLETELY,
  bool,
  checklist,
  date,
  datetime,
  defineExercise,
  longText,
  number,
  opts,
  rating,
  rows,
  select,
  shortText,
  text,
} from './builders.js';

/** E13–E24 of clinical.md §2.3 (transparency, check-ins, communication, context, change plans). */

const E13 = defineExercise({
  key: 'E13',
  title: 'Proactive Disclosure Log',
  instructions:
    'This is voluntary self-report. It replaces monitoring: Mend never tracks location, messages or devices.',
  prompts: [
    {
      text: "Note things you told your partner before being asked (unexpected contact, schedule changes, anything you'd once have hidden).",
    },
  ],
  audience: 'harming',
  phases: ['P1', 'P2', 'P3'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 10,
  frequency: 'weekly',
  seedConcepts: ['S09', 'S12', 'S14'],
  model: 'Gottman transparency, as voluntary self-report',
  responseSchema: {
    fields: [
      rows(
        'disclosures',
        'What I shared',
        [
          date('date', 'Date', { required: true }),
          text('what_i_shared', 'What I shared', { required: true }),
          bool('before_being_asked', 'Before being asked'),
          bool('partner_acknowledged', 'My partner acknowledged it'),
        ],
        { required: true, rowLabel: 'disclosure' },
      ),
    ],
  },
});

const E14 = defineExercise({
  key: 'E14',
  title: 'Promise Tracker',
  instructions:
    'List the small commitments you made and whether you kept them. Kept promises feed the weekly progress reference (E16).',
  prompts: [],
  audience: 'harming',
  optionalAudiences: ['each'],
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 5,
  frequency: 'daily/weekly',
  seedConcepts: ['S12', 'S09', 'S14'],
  model: 'Gottman trust as accumulated small acts',
  responseSchema: {
    fields: [
      rows(
        'promises',
        'Promises',
        [
          shortText('commitment', 'Commitment', { required: true }),
          datetime('due', 'Due'),
          select('kept', 'Kept?', opts('yes', 'partly', 'no'), { required: true }),
          text('repair_if_not', 'Repair if not kept', { requiredWhen: { field: 'kept', equals: 'no' } }),
          rating('observed_by_partner', 'Observed by my partner (optional, entered by the partner)', [
            'not observed',
            'clearly observed',
          ]),
        ],
        { required: true, rowLabel: 'promise' },
      ),
    ],
  },
});

const E15 = defineExercise({
  key: 'E15',
  title: 'Daily Check-in Ritual',
  instructions: 'Ten to fifteen minutes. Your answers are shown to your partner once you have both submitted.',
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'reveal',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 15,
  frequency: 'daily',
  seedConcepts: ['S06', 'S18', 'S14'],
  model: 'Gottman stress-reducing conversation / rituals',
  responseSchema: {
    fields: [
      rating('mood', 'Mood today', ['very low', 'very good'], { required: true }),
      rating('felt_safe_with_you_today', 'How safe I felt with you today', ['not safe', 'completely safe']),
      text('one_appreciation', 'One appreciation'),
      text('one_need', 'One need'),
      bool('park_for_scheduled_talk', 'Park a topic for our scheduled talk'),
      shortText('topic', 'Topic', { requiredWhen: { field: 'park_for_scheduled_talk', equals: true } }),
    ],
  },
});

const E16 = defineExercise({
  key: 'E16',
  title: 'Weekly Shared Progress Reference',
  instructions:
    "A shared reference, not surveillance. Each partner's report is shown as their own; there is no merged truth.",
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'reveal',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 15,
  frequency: 'weekly',
  seedConcepts: ['S14', 'S09', 'S23'],
  responseSchema: {
    fields: [
      rows('favourable_patterns', 'Favourable patterns', [text('text', 'Pattern', { required: true })], {
        rowLabel: 'pattern',
      }),
      rows('lingering_concerns', 'Lingering concerns', [text('text', 'Concern', { required: true })], {
        rowLabel: 'concern',
      }),
      rating('trust_this_week', 'Trust this week', ['none', 'complete'], { required: true }),
      rating('consistency_this_week', 'Consistency this week', ['none', 'complete']),
      text('for_clinician', 'For the clinician'),
    ],
  },
});

const E17 = defineExercise({
  key: 'E17',
  title: 'I-Statement Rewrite Practice',
  instructions:
    'Write what you said or wanted to say, then rewrite it: "When [specific moment], I felt [feeling] because [need/value]. Would you be willing to [request]?"',
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2'],
  defaultVisibility: 'private',
  switchableVisibility: ['clinician'],
  coachMode: 'on',
  estimatedMinutes: 10,
  frequency: '2–3×/week',
  seedConcepts: ['S10', 'S25'],
  model: 'Gottman gentle start-up, NVC',
  // `coach_flags` (system) is not an answer: the coach computes hints for the writer alone.
  responseSchema: {
    fields: [
      text('original', 'Original', { required: true }),
      text('rewrite', 'Rewrite', {
        required: true,
        help: 'When [specific moment], I felt [feeling] because [need/value]. Would you be willing to [request]?',
      }),
      rating('self_rating_softness', 'How soft is the rewrite?', ['harsh', 'gentle']),
    ],
  },
});

const E18 = defineExercise({
  key: 'E18',
  title: 'Reflect–Clarify–Validate Practice',
  instructions: 'After a 10-minute speaker/listener exchange. Then swap roles.',
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 20,
  frequency: 'weekly',
  seedConcepts: ['S11'],
  model: 'Gottman–Rapoport / speaker–listener',
  responseSchema: {
    parts: [
      { key: 'listener', label: 'The listener' },
      { key: 'speaker', label: 'The speaker' },
    ],
    fields: [
      text('listener_summary', 'Summary of what I heard', { part: 'listener', required: true }),
      text('clarifying_question', 'Clarifying question', { part: 'listener' }),
      text('validation_statement', 'Validation ("It makes sense you\'d feel… because…")', { part: 'listener' }),
      rating('speaker_accuracy', 'How accurate was the summary?', ['not at all', 'exactly'], { part: 'speaker' }),
      rating('speaker_felt_understood', 'How understood did I feel?', NOT_AT_ALL_COMPLETELY, { part: 'speaker' }),
    ],
  },
});

const E19 = defineExercise({
  key: 'E19',
  title: 'Rough-Moment Debrief',
  instructions:
    'After a fight or regrettable moment. Your answers are shown to your partner once you have both submitted.',
  prompts: [
    { text: 'What did you feel? (Only feelings for now.)' },
    { text: 'How did it look from where you stood?' },
    { text: 'What, from before, might have made it hit harder?' },
    { text: 'What was your part?' },
    { text: "One thing you'd do differently; one request." },
  ],
  audience: 'each',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'reveal',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 20,
  frequency: 'after a fight',
  seedConcepts: ['S01', 'S08', 'S10', 'S22'],
  model: "inspired by Gottman's post-conflict processing (own wording), Baucom",
  responseSchema: {
    fields: [
      checklist('feelings', 'What did you feel? (Only feelings for now.)', FEELINGS, {
        allowOther: true,
        otherLabel: 'other',
      }),
      text('my_view', 'How did it look from where you stood?'),
      text('old_sensitivities', 'What, from before, might have made it hit harder?'),
      text('my_part', 'What was your part?', { required: true }),
      text('do_differently', "One thing you'd do differently"),
      text('request', 'One request'),
      rating('ready_to_move_on', 'How ready am I to move on?', ['not ready', 'fully ready']),
    ],
  },
});

const E20 = defineExercise({
  key: 'E20',
  title: '"What do you need from me right now?"',
  instructions:
    'Empathy as a guide, not a lever. One partner asks; the other names a specific need; the asker says whether they can honour it.',
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2', 'P3'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 10,
  frequency: 'as needed / weekly',
  seedConcepts: ['S18', 'S19'],
  model: 'AIRM steps 7–8, seed S18',
  responseSchema: {
    parts: [
      { key: 'asker', label: 'The partner who asks' },
      { key: 'responder', label: 'The partner who names a need' },
    ],
    fields: [
      datetime('asked_on', 'Asked on', { part: 'asker' }),
      text('need_stated', 'What I need from you right now', { part: 'responder', required: true }),
      bool('specific_enough', 'Is it specific enough to act on?', { part: 'responder' }),
      select('could_honour', 'Could I honour it?', opts('yes', 'partly', 'not now'), { part: 'asker' }),
      text('why', 'Why', { part: 'asker' }),
      date('followed_through_on', 'Followed through on', { part: 'asker' }),
      rating('felt_met', 'How met did I feel?', ['not at all', 'fully'], { part: 'responder' }),
    ],
  },
});

const E21 = defineExercise({
  key: 'E21',
  title: 'Understanding the Context',
  instructions: 'Context helps explain; it never transfers responsibility for the choice.',
  prompts: [],
  audience: 'each',
  phases: ['P2'],
  defaultVisibility: 'clinician',
  switchableVisibility: ['release'],
  coachMode: 'on',
  estimatedMinutes: 40,
  frequency: 'once, multi-session',
  seedConcepts: ['S01', 'S19', 'S24'],
  model: 'Baucom stage 2',
  responseSchema: {
    fields: [
      longText('relationship_factors', 'Relationship factors'),
      longText('outside_stressors_or_opportunities', 'Outside stressors or opportunities'),
      longText('my_history_beliefs_vulnerabilities', 'My history, beliefs and vulnerabilities'),
      longText('what_I_contributed_to_the_climate', 'What I contributed to the climate', {
        help: 'Optional for the injured partner; your clinician decides when this question is used.',
      }),
      rating('confidence_in_understanding', 'How confident am I in this understanding?', ['not at all', 'completely']),
    ],
  },
});

const E22 = defineExercise({
  key: 'E22',
  title: 'My Account of How It Happened',
  instructions: 'Your warning signs feed the Slip-up Contingency Plan (E24).',
  prompts: [
    {
      text: "The sequence of choices, the moments I could have stopped, what I told myself, what I understand now, warning signs I'll watch for.",
    },
  ],
  audience: 'harming',
  phases: ['P2'],
  defaultVisibility: 'release',
  switchableVisibility: [],
  coachMode: 'accountability',
  estimatedMinutes: 45,
  frequency: 'once',
  seedConcepts: ['S01', 'S08', 'S22'],
  model: 'Baucom formulation, Glass story-telling',
  responseSchema: {
    fields: [
      longText('sequence_of_choices', 'The sequence of choices', { required: true }),
      longText('moments_i_could_have_stopped', 'The moments I could have stopped'),
      longText('what_i_told_myself', 'What I told myself'),
      longText('what_i_understand_now', 'What I understand now'),
      rows('warning_signs', "Warning signs I'll watch for", [shortText('sign', 'Warning sign', { required: true })], {
        rowLabel: 'warning sign',
      }),
    ],
  },
});

const E23 = defineExercise({
  key: 'E23',
  title: 'Personal Change Plan',
  instructions: 'Counselling, habits, environment: what will change, and how your partner could notice it.',
  prompts: [],
  audience: 'harming',
  phases: ['P2'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 30,
  frequency: 'once + monthly',
  seedConcepts: ['S13', 'S09'],
  model: 'seed S13 (counselling, habits, environment)',
  responseSchema: {
    fields: [
      rows(
        'changes',
        'Changes',
        [
          text('change', 'Change', { required: true }),
          select('type', 'Type', opts('support/counselling', 'habit', 'environment', 'communication')),
          text('indicator_partner_could_notice', 'An indicator my partner could notice'),
          date('target_date', 'Target date'),
          select('status', 'Status', opts('not started', 'in progress', 'done', 'revised')),
        ],
        { required: true, rowLabel: 'change' },
      ),
    ],
  },
});

const E24 = defineExercise({
  key: 'E24',
  title: 'Slip-up Contingency Plan',
  instructions: 'Responses should be proportionate; they use the consequence tiers of your boundaries agreement (E11).',
  prompts: [],
  audience: 'each',
  phases: ['P2', 'P3'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 30,
  frequency: 'once + revisit',
  seedConcepts: ['S22', 'S26'],
  model: 'relapse prevention',
  responseSchema: {
    fields: [
      text('slip_vs_breach_definitions', 'What counts as a slip, and what as a breach?'),
      rows('early_warning_signs', 'Early warning signs', [shortText('sign', 'Warning sign', { required: true })], {
        rowLabel: 'warning sign',
      }),
      rows(
        'if_I_slip_I_will',
        'If I slip, I will',
        [text('action', 'Action', { required: true }), number('within_hours', 'Within (hours)', 'hours', { max: 720 })],
        { rowLabel: 'action' },
      ),
      rows(
        'if_my_partner_slips_I_will',
        'If my partner slips, I will',
        [text('action', 'Action', { required: true })],
        {
          rowLabel: 'action',
        },
      ),
      text('clinician_contact_rule', 'When we contact the clinician'),
      checklist(
        'proportionate_responses',
        'Proportionate responses (the tiers of our boundaries agreement)',
        CONSEQUENCE_TIERS,
      ),
    ],
  },
});

export const EXERCISES_E13_E24: readonly ExerciseDefinition[] = [
  E13,
  E14,
  E15,
  E16,
  E17,
  E18,
  E19,
  E20,
  E21,
  E22,
  E23,
  E24,
];
