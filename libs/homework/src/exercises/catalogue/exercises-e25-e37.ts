import type { ExerciseDefinition } from '../exercise.types.js';
import {
  CONSEQUENCE_TIERS,
  NOT_AT_ALL_COMPLETELY,
  bool,
  checklist,
  date,
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

/** E25–E37 of clinical.md §2.3 (repair records, self-care, vulnerability, redesign, maintenance). */

const E25 = defineExercise({
  key: 'E25',
  title: 'Boundary Breach Repair Record',
  instructions:
    'Record a crossed agreement and how it will be repaired. Responses use the tiers of your boundaries agreement (E11). The clinician may hold a record back.',
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'shared',
  switchableVisibility: ['clinician'],
  coachMode: 'accountability',
  estimatedMinutes: 15,
  frequency: 'per incident',
  seedConcepts: ['S26', 'S08', 'S23'],
  model: 'restorative practice, S26',
  responseSchema: {
    fields: [
      date('incident_date', 'Date of the incident', { required: true }),
      shortText('agreement_crossed', 'Which agreement was crossed (from the boundaries agreement)', { required: true }),
      bool('self_disclosed', 'Self-disclosed'),
      number('hours_to_disclosure', 'Hours until it was disclosed', 'hours', { max: 8_760 }),
      rating('impact_on_harmed', 'Impact on the person harmed', ['none', 'severe']),
      select('response_tier', 'Response tier', CONSEQUENCE_TIERS),
      rows(
        'repair_actions',
        'Repair actions',
        [text('action', 'Action', { required: true }), date('due', 'Due'), bool('done', 'Done')],
        { rowLabel: 'action' },
      ),
      date('follow_up_date', 'Follow up on'),
      bool('agreement_change_needed', 'Does the agreement need to change?'),
    ],
  },
});

const E26 = defineExercise({
  key: 'E26',
  title: 'Fears & Needs Journal',
  instructions: 'Pick one of the prompts, or follow where it leads.',
  prompts: [
    { text: 'What scared me most today?' },
    { text: 'What need sits under that fear?' },
    { text: 'What would make me one point safer?' },
    { text: "What do I want my partner to understand that I haven't said?" },
  ],
  audience: 'individual',
  phases: ['P1', 'P2', 'P3'],
  defaultVisibility: 'private',
  switchableVisibility: ['clinician'],
  coachMode: 'off',
  estimatedMinutes: 15,
  frequency: '2–3×/week',
  seedConcepts: ['S15', 'S18'],
  model: 'seed S15, EFT softer emotions',
  responseSchema: {
    fields: [
      longText('entry', 'Journal entry', { required: true }),
      rating('fear_intensity', 'Fear intensity', ['no fear', 'overwhelming fear']),
    ],
  },
});

const E27 = defineExercise({
  key: 'E27',
  title: 'Self-Compassion Letter',
  instructions: 'A letter to yourself. It stays yours unless you choose to show your clinician.',
  prompts: [
    { text: 'Write to yourself as you would to a friend who had this done to them.', forRole: 'harmed' },
    {
      text: "Write to yourself with responsibility but without contempt: what you did, what you're learning, who you're choosing to be.",
      forRole: 'harming',
    },
  ],
  audience: 'individual',
  phases: ['P1', 'P2'],
  defaultVisibility: 'private',
  switchableVisibility: ['clinician'],
  coachMode: 'off',
  estimatedMinutes: 25,
  frequency: 'once / monthly',
  seedConcepts: ['S05', 'S15'],
  responseSchema: {
    fields: [
      rating('self_criticism_before', 'Self-criticism before writing', ['none', 'harsh']),
      longText('letter', 'Letter', { required: true }),
      rating('self_criticism_after', 'Self-criticism after writing', ['none', 'harsh']),
    ],
  },
});

const E28 = defineExercise({
  key: 'E28',
  title: 'Self-Care Tracker',
  instructions: 'A quick daily log of the basics: sleep, food, movement, rest and support.',
  prompts: [],
  audience: 'individual',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'clinician',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 3,
  frequency: 'daily',
  seedConcepts: ['S17', 'S04'],
  model: 'Baucom self-care, seed S17',
  responseSchema: {
    fields: [
      number('sleep_hours', 'Sleep (hours)', 'hours', { max: 24 }),
      number('meals', 'Meals', 'meals', { max: 3, integer: true }),
      number('movement_minutes', 'Movement (minutes)', 'minutes', { max: 1_440 }),
      checklist(
        'restorative_activity',
        'Restorative activity',
        opts(
          'time outdoors',
          'reading',
          'music',
          'creative activity',
          'time with friends or family',
          'spiritual practice',
          'rest',
        ),
        { allowOther: true, otherLabel: 'Describe' },
      ),
      bool('connected_with_support_person', 'Connected with a support person'),
      number('alcohol_drinks', 'Alcoholic drinks', 'drinks', {
        max: 100,
        integer: true,
        help: 'A rising trend can notify your clinician.',
      }),
      rating('energy', 'Energy', ['exhausted', 'full of energy']),
    ],
  },
});

const E29 = defineExercise({
  key: 'E29',
  title: 'Wins & Stumbles',
  instructions: 'In the evening: one win, one stumble, one thing learned.',
  prompts: [],
  audience: 'individual',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'private',
  switchableVisibility: ['clinician'],
  coachMode: 'off',
  estimatedMinutes: 5,
  frequency: 'daily',
  seedConcepts: ['S17', 'S05', 'S14'],
  model: 'seed S17',
  responseSchema: {
    fields: [
      text('one_win', 'One win', { required: true }),
      text('one_stumble', 'One stumble'),
      text('what_i_learned', 'What I learned'),
      rating('kindness_to_self', 'Kindness to myself today', ['none', 'a lot']),
    ],
  },
});

const E30 = defineExercise({
  key: 'E30',
  title: 'Vulnerability Ladder',
  instructions:
    'List steps from lower to higher risk, for example: 1. share a daily worry; 2. talk about next month; 3. non-sexual affection; 4. talk about the future; 5. sexual intimacy. Then take one step a week. Either partner may veto a step without explanation.',
  prompts: [],
  audience: 'each',
  phases: ['P2', 'P3'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 20,
  frequency: 'build once + weekly step',
  seedConcepts: ['S21', 'S20'],
  model: 'graded exposure, Gottman attach, EFT risk-taking',
  responseSchema: {
    fields: [
      rows(
        'steps',
        'Steps, from lower to higher risk',
        [
          shortText('step', 'Step', { required: true }),
          rating('anticipated_fear', 'Anticipated fear', ['none', 'overwhelming']),
          rating('readiness', 'My readiness', ['not ready', 'fully ready']),
          date('attempted_on', 'Attempted on'),
          rating('how_it_went', 'How it went', ['very badly', 'very well']),
          select('decision', 'Decision', opts('repeat', 'next step', 'step back')),
        ],
        { required: true, rowLabel: 'step' },
      ),
    ],
  },
});

const E31 = defineExercise({
  key: 'E31',
  title: 'Relationship Structure Redesign',
  instructions:
    'One row per domain: household, money, social life, digital/phone norms, time together/apart, family/in-laws.',
  prompts: [],
  audience: 'each',
  phases: ['P3'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 40,
  frequency: 'once + quarterly',
  seedConcepts: ['S20', 'S23'],
  model: 'seed S20, Gottman attach',
  responseSchema: {
    fields: [
      rows(
        'domains',
        'Domains',
        [
          select(
            'domain',
            'Domain',
            opts('household', 'money', 'social life', 'digital/phone norms', 'time together/apart', 'family/in-laws'),
            { required: true },
          ),
          text('current', 'Current'),
          select('change', 'Change', opts('keep', 'change', 'new')),
          text('new_arrangement', 'New arrangement', { requiredWhen: { field: 'change', equals: 'new' } }),
          select('owner', 'Owner', opts('me', 'my partner', 'both of us')),
          date('review_date', 'Review on'),
        ],
        { required: true, maxRows: 20, rowLabel: 'domain' },
      ),
    ],
  },
});

const E32 = defineExercise({
  key: 'E32',
  title: 'Agreement Review',
  instructions:
    'One row per active agreement (from the pause plan, boundaries agreement, slip-up plan and structure redesign). Answers are shown to your partner once you have both submitted.',
  prompts: [],
  audience: 'each',
  phases: ['P3', 'P4'],
  defaultVisibility: 'reveal',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 20,
  frequency: 'monthly',
  seedConcepts: ['S23', 'S03', 'S26'],
  model: 'seed S23',
  responseSchema: {
    fields: [
      rows(
        'agreements',
        'Active agreements',
        [
          shortText('agreement', 'Agreement', { required: true }),
          select('still_needed', 'Still needed?', opts('keep', 'modify', 'retire'), { required: true }),
          rating('kept_well', 'How well was it kept?', ['not at all', 'fully']),
          text('proposed_change', 'Proposed change', { requiredWhen: { field: 'still_needed', equals: 'modify' } }),
        ],
        { required: true, rowLabel: 'agreement' },
      ),
      date('next_review', 'Next review'),
    ],
  },
});

const E33 = defineExercise({
  key: 'E33',
  title: 'Shared Meaning Map',
  instructions: 'Answer each prompt, then say how aligned you feel.',
  prompts: [
    {
      text: 'Values we share; why we chose each other (or why this friendship or family bond matters); what we want the next year to look like; what we want to be true about us in five years.',
    },
  ],
  audience: 'each',
  phases: ['P3'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 30,
  frequency: 'once',
  seedConcepts: ['S24', 'S20'],
  model: 'Gottman shared meaning, Glass',
  responseSchema: {
    fields: [
      text('values_we_share', 'Values we share', { required: true }),
      text('why_we_chose_each_other', 'Why we chose each other (or why this friendship or family bond matters)'),
      text('next_year', 'What we want the next year to look like'),
      text('in_five_years', 'What we want to be true about us in five years'),
      rating('alignment', 'How aligned do we feel?', ['not at all', 'completely']),
    ],
  },
});

const E34 = defineExercise({
  key: 'E34',
  title: 'Forgiveness Reflection',
  instructions:
    'Forgiveness is not forgetting, excusing or automatic reconciliation; acceptance without reconciliation is valid. (Variant for the partner who caused harm: seeking forgiveness without demanding it.)',
  prompts: [],
  audience: 'harmed',
  optionalAudiences: ['harming'],
  phases: ['P3'],
  defaultVisibility: 'clinician',
  switchableVisibility: ['release'],
  coachMode: 'gentle',
  estimatedMinutes: 25,
  frequency: 'once / staged',
  seedConcepts: ['S27', 'S24'],
  model: 'Baucom stage 3, REACH, Spring',
  responseSchema: {
    fields: [
      select(
        'where_i_am',
        'Where I am',
        opts(
          'not considering',
          'considering',
          'decided to forgive',
          'feeling forgiveness',
          'acceptance without reconciliation',
          'unsure',
        ),
        { required: true },
      ),
      longText('what_would_need_to_happen', 'What would need to happen'),
      longText('what_forgiveness_would_mean_for_me', 'What forgiveness would mean for me'),
    ],
  },
});

const E35 = defineExercise({
  key: 'E35',
  title: 'Readiness & Direction Check',
  instructions: 'Only your clinician sees this. There is no right answer.',
  prompts: [],
  audience: 'each',
  phases: ['P0', 'P3'],
  defaultVisibility: 'clinician',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 10,
  frequency: 'at milestones',
  seedConcepts: ['S27', 'S02'],
  model: 'Baucom informed decision, discernment, seed S27',
  responseSchema: {
    fields: [
      rating('readiness_for_more_closeness', 'Readiness for more closeness', ['not ready', 'fully ready'], {
        required: true,
      }),
      rating('commitment', 'Commitment', NOT_AT_ALL_COMPLETELY),
      select(
        'direction',
        'Direction',
        opts('rebuild', 'redefine (e.g. co-parents, friends)', 'separate', 'undecided'),
        { required: true },
      ),
      text('what_would_move_me_one_point', 'What would move me one point?'),
      rating('pressure_felt_to_decide', 'Pressure I feel to decide', ['none', 'extreme']),
    ],
  },
});

const E36 = defineExercise({
  key: 'E36',
  title: 'Rituals of Connection Planner',
  instructions: 'Plan small, regular rituals (e.g. weekly walk, morning goodbye, shared meal).',
  prompts: [],
  audience: 'each',
  phases: ['P3', 'P4'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 15,
  frequency: 'monthly',
  seedConcepts: ['S06', 'S24'],
  model: 'Gottman attach',
  responseSchema: {
    fields: [
      rows(
        'rituals',
        'Rituals',
        [
          shortText('ritual', 'Ritual (e.g. weekly walk, morning goodbye, shared meal)', { required: true }),
          select('frequency', 'Frequency', opts('daily', 'several times a week', 'weekly', 'monthly')),
          number('times_done', 'Times done this month', 'count', { max: 100, integer: true }),
          text('meaning', 'What it means to us'),
        ],
        { required: true, rowLabel: 'ritual' },
      ),
    ],
  },
});

const E37 = defineExercise({
  key: 'E37',
  title: 'Trust Milestone Reflection',
  instructions:
    'Quarterly, and before the discovery anniversary. Answers are shown to your partner once you have both submitted.',
  prompts: [],
  audience: 'each',
  phases: ['P4'],
  defaultVisibility: 'reveal',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 25,
  frequency: 'quarterly / anniversary',
  seedConcepts: ['S24', 'S14', 'S22'],
  model: 'maintenance, anniversary planning',
  responseSchema: {
    fields: [
      number('months_since_discovery', 'Months since discovery', 'months', {
        max: 1_200,
        integer: true,
        help: 'Filled in automatically when the discovery date is known.',
      }),
      text('what_has_changed', 'What has changed', { required: true }),
      text('evidence_of_reliability', 'Evidence of reliability'),
      text('remaining_concerns', 'Remaining concerns'),
      text('anniversary_plan', 'Plan for the anniversary'),
      rating('trust_now', 'Trust now', ['none', 'complete']),
    ],
  },
});

export const EXERCISES_E25_E37: readonly ExerciseDefinition[] = [
  E25,
  E26,
  E27,
  E28,
  E29,
  E30,
  E31,
  E32,
  E33,
  E34,
  E35,
  E36,
  E37,
];
