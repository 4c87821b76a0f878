import type { ExerciseDefinition } from '../exercise.types.js';
import {
  CONSEQUENCE_TIERS,
  DISTRESS,
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

/** E01–E12 of clinical.md §2.3 (intake, impact and accountability, pausing, triggers, boundaries). */

const E01 = defineExercise({
  key: 'E01',
  title: 'Private Intake Reflection',
  instructions: 'Take your time. You can save a draft and come back to it.',
  prompts: [{ text: "In your own words, what happened and why you're here. Nobody but your clinician will see this." }],
  audience: 'each',
  phases: ['P0'],
  defaultVisibility: 'clinician',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 20,
  frequency: 'once',
  seedConcepts: ['S01', 'S27'],
  model: 'assessment in all three models',
  responseSchema: {
    fields: [
      longText('story', "In your own words, what happened and why you're here.", { required: true }),
      select(
        'current_goal',
        'What do you want from this work right now?',
        opts('stay and rebuild', 'decide whether to stay', 'separate respectfully', 'unsure'),
        { required: true },
      ),
      rating('commitment_to_process', 'How committed are you to this process?', NOT_AT_ALL_COMPLETELY),
      rating('safety_at_home_now', 'How safe do you feel at home right now?', ['not safe at all', 'completely safe']),
      bool(
        'anything_unsafe_to_say_in_front_of_partner',
        'Is there anything it would be unsafe to say in front of your partner?',
        { help: 'If you answer yes, your clinician is alerted and will talk with you on your own.' },
      ),
      bool('prior_therapy', 'Have you been in therapy or counselling before?'),
      text('support_people', 'Who supports you (friends, family, others)?'),
    ],
  },
});

const E02 = defineExercise({
  key: 'E02',
  title: 'Impact Letter',
  instructions:
    'Write for yourself first. You decide later whether, and when, your partner reads it; you can revise it before then.',
  prompts: [
    { text: 'How did you find out, and what was the first hour, day and week like?' },
    { text: 'What has this changed about how you see your partner, yourself, your past together and your future?' },
    { text: 'The hardest moments since.' },
    { text: "What you're afraid of." },
    { text: 'What you need now — not forever.' },
  ],
  audience: 'harmed',
  phases: ['P1'],
  defaultVisibility: 'release',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 45,
  frequency: 'once (revisable)',
  seedConcepts: ['S01', 'S02', 'S15'],
  model: 'Baucom impact letter, AIRM steps 1/3/5',
  responseSchema: {
    fields: [
      rating('distress_before', 'Distress before writing', DISTRESS),
      longText('how_i_found_out', 'How did you find out, and what was the first hour, day and week like?'),
      longText(
        'what_has_changed',
        'What has this changed about how you see your partner, yourself, your past together and your future?',
      ),
      longText('hardest_moments', 'The hardest moments since.'),
      longText('what_im_afraid_of', "What you're afraid of."),
      longText('what_i_need_now', 'What you need now — not forever.'),
      rating('distress_after', 'Distress after writing', DISTRESS),
      select(
        'share_readiness',
        'Are you ready to share this letter?',
        opts('not yet', 'with clinician first', 'ready to share'),
        { required: true },
      ),
    ],
  },
});

const E03 = defineExercise({
  key: 'E03',
  title: 'Specific Accountability Statement',
  instructions:
    'This statement is drafted by you, reviewed with your clinician, and shared with your partner only when you release it.',
  prompts: [
    { text: 'Describe exactly what you did and over what time, without softening words.' },
    { text: 'Who was affected, and how?' },
    { text: 'Which promises or values did it break, and why did that hurt?' },
    { text: 'What are you *not* going to say? (Check any excuses you notice in yourself.)' },
    { text: 'What are you committing to?' },
  ],
  audience: 'harming',
  phases: ['P1'],
  defaultVisibility: 'release',
  switchableVisibility: [],
  coachMode: 'accountability',
  estimatedMinutes: 40,
  frequency: 'draft → review → share',
  seedConcepts: ['S08', 'S02'],
  model: 'Gottman atone, AIRM step 6, apology research',
  responseSchema: {
    fields: [
      longText('what_i_did', 'Describe exactly what you did and over what time, without softening words.', {
        required: true,
      }),
      date('timeframe_start', 'From'),
      date('timeframe_end', 'Until'),
      rows(
        'who_affected',
        'Who was affected, and how?',
        [shortText('person', 'Person', { required: true }), text('impact', 'How they were affected')],
        { rowLabel: 'person' },
      ),
      text('broken_commitments', 'Which promises or values did it break, and why did that hurt?'),
      checklist(
        'excuse_check',
        'What are you *not* going to say? (Check any excuses you notice in yourself.)',
        opts('blaming circumstances', 'blaming partner', '"it meant nothing"', '"it was only…"', '"everyone does it"'),
        { allowOther: true, otherLabel: 'other' },
      ),
      text('commitments', 'What are you committing to?', { required: true }),
    ],
    feedbackFields: [bool('clinician_reviewed', 'Reviewed by the clinician')],
  },
});

const E04 = defineExercise({
  key: 'E04',
  title: 'Reflecting the Impact Back',
  instructions: "Do this after your partner's impact letter has been read in session.",
  prompts: [
    { text: 'In your own words, what did you hear?', part: 'reflector' },
    { text: 'What do you now understand about why it hurt so much?', part: 'reflector' },
    {
      text: 'What feelings came up in you as you heard it? Name them without defending yourself.',
      part: 'reflector',
    },
  ],
  audience: 'harming',
  phases: ['P1'],
  defaultVisibility: 'release',
  switchableVisibility: [],
  coachMode: 'accountability',
  estimatedMinutes: 30,
  frequency: 'once after E02',
  seedConcepts: ['S11', 'S18', 'S02'],
  model: 'Baucom (reflect the letter), AIRM 4/6',
  responseSchema: {
    parts: [
      { key: 'reflector', label: 'The partner who reflects the letter back', audience: 'harming' },
      { key: 'recipient', label: 'The partner who wrote the letter', audience: 'harmed' },
    ],
    fields: [
      longText('paraphrase', 'In your own words, what did you hear?', { part: 'reflector', required: true }),
      text('understanding', 'What do you now understand about why it hurt so much?', { part: 'reflector' }),
      checklist(
        'my_feelings',
        'What feelings came up in you as you heard it? Name them without defending yourself.',
        FEELINGS,
        { part: 'reflector', allowOther: true, otherLabel: 'In my own words' },
      ),
      rating('recipient_accuracy', 'How accurately did your partner hear you?', ['not at all', 'exactly'], {
        part: 'recipient',
      }),
    ],
  },
});

const E05 = defineExercise({
  key: 'E05',
  title: 'Question Log',
  instructions: 'Questions are usually answered in session, with your clinician present.',
  prompts: [
    {
      text: 'Write a question. Before you send it, ask yourself: will the answer help me understand and decide, or will it mostly add painful images?',
      part: 'asker',
    },
  ],
  audience: 'each',
  phases: ['P1', 'P2'],
  defaultVisibility: 'clinician',
  switchableVisibility: ['release'],
  coachMode: 'gentle',
  estimatedMinutes: 10,
  frequency: 'as needed',
  seedConcepts: ['S01', 'S03'],
  model: 'Gottman atone (honest answers), Baucom impact',
  responseSchema: {
    parts: [
      { key: 'asker', label: 'The partner who asks', audience: 'harmed' },
      { key: 'answerer', label: 'The partner who answers', audience: 'harming' },
    ],
    fields: [
      text('question', 'Write a question.', { part: 'asker', required: true }),
      select('category', 'What kind of question is it?', opts('facts', 'meaning', 'current safety', 'other'), {
        part: 'asker',
      }),
      rating(
        'helpfulness_estimate',
        'Will the answer help me understand and decide, or will it mostly add painful images?',
        ['mostly painful images', 'helps me understand and decide'],
        { part: 'asker' },
      ),
      select('priority', 'Priority', opts('low', 'medium', 'high'), { part: 'asker' }),
      date('asked_on', 'Asked on', { part: 'asker' }),
      bool('answered_in_session', 'Answered in session', { part: 'answerer' }),
      text('answer_summary', 'Summary of the answer', { part: 'answerer' }),
      rating('distress_after', 'Distress after hearing the answer', DISTRESS, { part: 'asker' }),
      bool('follow_up_needed', 'Follow-up needed', { part: 'asker' }),
    ],
  },
});

const E06 = defineExercise({
  key: 'E06',
  title: 'Grounding Practice Log',
  instructions: 'Log each grounding practice: what you did, for how long, and how you felt before and after.',
  prompts: [],
  audience: 'individual',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'clinician',
  switchableVisibility: [],
  coachMode: 'off',
  estimatedMinutes: 5,
  frequency: 'daily',
  seedConcepts: ['S04'],
  model: 'Baucom self-care, Gottman self-soothing',
  responseSchema: {
    fields: [
      select('practice', 'Practice', opts('paced breathing', '5-senses grounding', 'body scan', 'walk', 'other'), {
        required: true,
      }),
      number('minutes', 'Minutes', 'minutes', { max: 600 }),
      rating('distress_before', 'Distress before', DISTRESS),
      rating('distress_after', 'Distress after', DISTRESS),
      checklist(
        'body_cues_noticed',
        'Body cues noticed',
        opts('racing heart', 'tight chest', 'jaw or fists', 'heat', 'numbness'),
        { allowOther: true, otherLabel: 'other' },
      ),
    ],
  },
});

const E07 = defineExercise({
  key: 'E07',
  title: 'Flooding & Pause Plan',
  instructions: 'Fill this in together. You will revisit it in the Agreement Review (E32).',
  prompts: [{ text: 'Agree how either of you can pause a hard conversation without it feeling like abandonment.' }],
  audience: 'together',
  phases: ['P1'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 20,
  frequency: 'once + revisit',
  seedConcepts: ['S07', 'S25'],
  model: 'Gottman flooding (≥20-minute break), Baucom time-out',
  responseSchema: {
    fields: [
      shortText('pause_signal', 'Pause signal (word or gesture)', { required: true }),
      number('min_break_minutes', 'Minimum break (minutes)', 'minutes', {
        max: 1_440,
        suggestion: 'at least 20 minutes',
      }),
      number('max_return_hours', 'Return within (hours)', 'hours', { max: 168, suggestion: 'at most 24 hours' }),
      rows(
        'what_i_do_during_break',
        'What I do during the break (each partner)',
        [shortText('partner', 'Partner', { required: true }), text('plan', 'What I do during the break')],
        { maxRows: 2, rowLabel: 'partner' },
      ),
      select(
        'who_restarts',
        'Who restarts the conversation?',
        opts('the one who called the pause', 'the other partner', 'either of us'),
      ),
      checklist(
        'no_go_behaviours',
        'No-go behaviours during a break',
        opts('following the other person', 'texting during the break', 'bringing in third parties'),
        { allowOther: true, otherLabel: 'other' },
      ),
      date('agreed_on', 'Agreed on'),
    ],
  },
});

const E08 = defineExercise({
  key: 'E08',
  title: 'Pause Log',
  instructions: 'Log each pause. Your entries are shown to your partner only once you have both submitted.',
  prompts: [],
  audience: 'each',
  phases: ['P1', 'P2', 'P3', 'P4'],
  defaultVisibility: 'reveal',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 5,
  frequency: 'per pause',
  seedConcepts: ['S07', 'S14'],
  responseSchema: {
    fields: [
      datetime('when', 'When', { required: true }),
      select('who_called', 'Who called the pause?', opts('me', 'my partner')),
      bool('returned_on_time', 'Did we return on time?'),
      text('what_helped', 'What helped'),
      rating('restart_quality', 'How did the restart go?', ['very badly', 'very well']),
    ],
  },
});

const E09 = defineExercise({
  key: 'E09',
  title: 'Trigger Coping Plan',
  instructions: 'A plan for reminders and triggers. Update it as you learn what helps.',
  prompts: [],
  audience: 'harmed',
  optionalAudiences: ['each'],
  phases: ['P1'],
  defaultVisibility: 'release',
  switchableVisibility: [],
  coachMode: 'gentle',
  estimatedMinutes: 25,
  frequency: 'once + update',
  seedConcepts: ['S04', 'S18', 'S22'],
  model: 'Baucom coping with flashbacks and reminders, trauma-informed care',
  responseSchema: {
    fields: [
      checklist(
        'known_triggers',
        'Known triggers',
        opts('places', 'dates', 'songs', 'phone behaviours', 'late arrivals', 'names'),
        { allowOther: true, otherLabel: 'Describe', otherMaxLength: 2_000 },
      ),
      text('early_warning_signs', 'Early warning signs'),
      rows('my_steps', 'My steps', [shortText('step', 'Step', { required: true })], { rowLabel: 'step' }),
      text('what_helps_from_partner', 'What helps from my partner (a specific request)'),
      text('what_doesnt_help', "What doesn't help"),
      rows(
        'significant_dates',
        'Significant dates to plan ahead for (e.g. the discovery date)',
        [date('date', 'Date', { required: true }), shortText('label', 'What it is')],
        { rowLabel: 'date' },
      ),
    ],
  },
});

const E10 = defineExercise({
  key: 'E10',
  title: 'Trigger Episode Log',
  instructions: 'Log a trigger episode: when, what set it off, how strong it was and what you did.',
  prompts: [],
  audience: 'harmed',
  phases: ['P1', 'P2', 'P3'],
  defaultVisibility: 'clinician',
  switchableVisibility: ['release'],
  coachMode: 'gentle',
  estimatedMinutes: 5,
  frequency: 'per episode',
  seedConcepts: ['S04', 'S14'],
  responseSchema: {
    fields: [
      datetime('when', 'When', { required: true }),
      text('trigger', 'Trigger'),
      rating('peak_intensity', 'Peak intensity', ['barely noticeable', 'overwhelming']),
      checklist(
        'what_i_did',
        'What I did',
        opts(
          'grounding practice',
          'took a break',
          'reached out to a support person',
          'wrote it down',
          'followed my coping plan',
        ),
        { allowOther: true, otherLabel: 'Describe', otherMaxLength: 2_000 },
      ),
      bool('asked_partner_for_support', 'Asked my partner for support'),
      rating('partner_response_helpfulness', "How helpful was my partner's response?", ['not helpful', 'very helpful']),
      number('minutes_to_settle', 'Minutes to settle', 'minutes', { max: 1_440 }),
    ],
  },
});

const E11 = defineExercise({
  key: 'E11',
  title: 'Boundaries, Needs & Consequences Agreement',
  instructions:
    'The higher consequence tiers (extra clinician session, pause on conjoint work) are clinician-approved.',
  prompts: [
    {
      text: "For each boundary, name the need under it, what will happen if it isn't kept, and when you'll review it. Consequences should be proportionate and aimed at repair, not punishment.",
    },
  ],
  audience: 'each',
  phases: ['P1', 'P4'],
  defaultVisibility: 'shared',
  switchableVisibility: [],
  coachMode: 'on',
  estimatedMinutes: 30,
  frequency: 'once + review',
  seedConcepts: ['S03', 'S16', 'S25', 'S26'],
  model: 'Baucom boundary setting, Gottman atone',
  responseSchema: {
    fields: [
      rows(
        'boundaries',
        'Boundaries',
        [
          text('boundary', 'Boundary', { required: true }),
          select('whose_need', 'Whose need is it?', opts('mine', "my partner's", 'both of ours')),
          text('need_behind_it', 'The need behind it'),
          select('if_not_kept', "If it isn't kept", CONSEQUENCE_TIERS),
          date('review_date', 'Review on'),
        ],
        { required: true, rowLabel: 'boundary' },
      ),
      bool('both_agree', 'I agree to these boundaries'),
    ],
  },
});

const E12 = defineExercise({
  key: 'E12',
  title: 'Ending-Contact Confirmation & Status',
  instructions: 'Confirm once how contact ended; then give a short weekly status.',
  prompts: [],
  audience: 'harming',
  phases: ['P1'],
  defaultVisibility: 'release',
  switchableVisibility: [],
  coachMode: 'accountability',
  estimatedMinutes: 10,
  frequency: 'once + weekly',
  seedConcepts: ['S08', 'S09', 'S03'],
  model: 'Gottman atone',
  responseSchema: {
    fields: [
      date('contact_ended_on', 'Contact ended on'),
      select(
        'how_ended',
        'How it ended',
        opts('in person', 'message', 'phone call', 'in a clinician session', 'other'),
      ),
      select('partner_informed_how', 'How my partner was informed', opts('present', 'shown message', 'told')),
      bool('unavoidable_contact', 'Is some contact unavoidable (e.g. at work)?'),
      text('plan', 'Plan for unavoidable contact (e.g. work limits agreed with your partner)', {
        requiredWhen: { field: 'unavoidable_contact', equals: true },
      }),
      bool('any_contact_since_last', 'Weekly: any contact since the last status?'),
      text('details', 'Details', { requiredWhen: { field: 'any_contact_since_last', equals: true } }),
      bool('disclosed_within_24h', 'Disclosed to my partner within 24 hours'),
    ],
  },
});

export const EXERCISES_E01_E12: readonly ExerciseDefinition[] = [
  E01,
  E02,
  E03,
  E04,
  E05,
  E06,
  E07,
  E08,
  E09,
  E10,
  E11,
  E12,
];
