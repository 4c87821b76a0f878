import type { MeasureDefinition, MeasureItem, ResponseOption } from './measure-definition.js';

/**
 * The built-in measures of issue 6. Every number is taken from clinical.md §3.2/§3.3 (its
 * own citations are repeated as `source`).
 *
 * Wording. Every built-in ships its published instructions, item wording and option
 * labels, verbatim (clinical.md §3.1: "never alter item wording or response options").
 * Each text was cross-checked against at least two independent public copies;
 * `wording.sources` records where (the README's measures section repeats it). The PHQ-9,
 * GAD-7 and PCL-5 (free to embed with attribution) are offered in the portal at once. The
 * CSI-4 and CSI-16 are free from their authors for research and clinical use, but
 * commercial embedding is to be confirmed with them (clinical.md §3.1, §7 item 1): they are
 * offered in the portal only after a clinic admin records the clinic's licence confirmation
 * (PUT /api/v1/measures/{id}/licence-confirmation; see `requiresLicenceConfirmation`), and
 * until then are scoreable from the paper form by the care team.
 */

const CLINICAL_MD = 'clinical.md';
const NO_PARTIAL_RULE =
  'Rejected: clinical.md §3.2 gives no published rule for missing items of this measure, so every item must be answered (issue 6: "handled per each measure\'s published rule or rejected").';

/** Items worded verbatim, numbered from 1 in the order given. */
function worded(prefix: string, texts: readonly string[]): MeasureItem[] {
  return texts.map((text, index) => ({ id: `${prefix}_${index + 1}`, number: index + 1, text }));
}

/** Option labels by value, from the lowest value up. */
const labelled = (labels: readonly string[]): ResponseOption[] => labels.map((label, value) => ({ value, label }));

/**
 * The PHQ-9 and GAD-7 share these labels (0–3) on the Pfizer forms. Checked: CamCOPS
 * phq9.xml and gad7.xml (a0–a3); nivlab/jspsych-demos gad7.js gives "Over half the days"
 * for 2, every other copy (CamCOPS, akello-io/akello GAD7.md, rhavekost/clinical-toolkit
 * gad-7.md, rdeforest/eforth PHQ-9.md) "More than half the days", as on the Pfizer form.
 */
const PHQ_OPTIONS = labelled(['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);

/** The copyright notice printed on the Pfizer PHQ and GAD-7 forms (kept verbatim). */
const PFIZER_NOTICE =
  'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.';

const PHQ_LICENCE = {
  verdict: 'free_attribution_only' as const,
  note: 'Free to embed with attribution. Developed by Spitzer, Williams, Kroenke with a Pfizer educational grant; no fees or permission for reproduction or use. Pfizer holds the copyright notice: keep the attribution, do not alter items.',
  source: `${CLINICAL_MD} §3.1, §3.2 (https://atozwiki.com/Patient_Health_Questionnaire)`,
};

export const PHQ_9: MeasureDefinition = {
  id: 'phq-9',
  version: '1',
  name: 'PHQ-9',
  displayLabel: 'PHQ-9',
  domain: 'symptom',
  recallPeriod: 'past 2 weeks',
  attribution: `Kroenke K, Spitzer RL, Williams JBW (2001). The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med 16:606–613. ${PFIZER_NOTICE}`,
  licence: PHQ_LICENCE,
  instructions: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  wording: {
    status: 'complete',
    note: 'Verbatim from the Pfizer PHQ-9 form: stem, items 1–9 and option labels. The paper-only marking note "(Use “✔” to indicate your answer)" is not shown (the portal takes one choice per item); no sentence is altered. Variants seen in public copies and not used: a comma after "dead" in item 9, "." for the "?" in item 8, "television" shortened to "TV". Not embedded: the form\'s final, unscored question ("If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?" Not difficult at all / Somewhat difficult / Very difficult / Extremely difficult): the measure model scores every item, so an unscored item cannot be carried without changing the total; the counselor asks it in session when wanted. Item 9 is reported and alerted on separately (separatelyReportedItems, safetySignals).',
    sources: [
      'ucam-department-of-psychiatry/camcops server/camcops_server/extra_strings/phq9.xml (commit b7d36c87): stem, q1–q9, a0–a3 identical; also the unscored final question quoted in the note',
      'Two further independent open-source PHQ-9 implementations found by exact-string search of public code (index ids 71156438416 and 46480768831): items 6, 8 and 9 identical, including the "?" and em dashes of item 8',
      'rdeforest/eforth rdeforest/self-assessment/PHQ-9.md and IskandarAyuphan/psychological-aspects-and-bmi questionnaire.md: items 1–6 identical (later items abbreviated or punctuated differently)',
      'Pfizer notice (attribution) identical in several public copies, e.g. index ids 17989701177 and 63173303470 (the latter citing https://www.phqscreeners.com/select-screener)',
    ],
  },
  responseOptions: PHQ_OPTIONS,
  items: worded('phq9', [
    'Little interest or pleasure in doing things',
    'Feeling down, depressed, or hopeless',
    'Trouble falling or staying asleep, or sleeping too much',
    'Feeling tired or having little energy',
    'Poor appetite or overeating',
    'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
    'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    'Thoughts that you would be better off dead or of hurting yourself in some way',
  ]),
  scoring: {
    method: 'sum',
    range: { min: 0, max: 27 },
    partialAnswers: { rule: 'reject', source: NO_PARTIAL_RULE },
    source: `Sum 0–27 (${CLINICAL_MD} §3.2; Kroenke et al. 2001)`,
  },
  subscales: [],
  direction: 'higher_is_worse',
  severityBands: {
    bands: [
      { min: 5, max: 9, label: 'mild' },
      { min: 10, max: 14, label: 'moderate' },
      { min: 15, max: 19, label: 'moderately severe' },
      { min: 20, max: 27, label: 'severe' },
    ],
    source: `5/10/15/20 = mild / moderate / moderately severe / severe (${CLINICAL_MD} §3.2; Kroenke et al. 2001). clinical.md names no band below 5.`,
  },
  cutoff: {
    value: 10,
    clinicalWhen: 'gte',
    description: '≥ 10 screens positive (sensitivity 88%, specificity 88%); recovery is from ≥ 10 to < 10',
    source: `${CLINICAL_MD} §3.2, §3.3 (Kroenke et al. 2001)`,
  },
  reliableChange: {
    kind: 'published',
    threshold: 6,
    source: `IAPT / NHS Talking Therapies convention (${CLINICAL_MD} §3.2, §3.3; https://bmcpsychiatry.biomedcentral.com/articles/10.1186/s12888-018-1987-1/tables/1)`,
    note: 'About 5 points was proposed as clinically meaningful (Löwe et al. 2004, from memory per clinical.md).',
  },
  separatelyReportedItems: ['phq9_9'],
  safetySignals: [
    {
      id: 'phq9-item9-tier1',
      itemId: 'phq9_9',
      when: { op: 'gte', value: 2 },
      tier: 1,
      reason: 'PHQ-9 item 9 ≥ 2',
      source: `${CLINICAL_MD} §4.3 tier 1; issue 6 item 5`,
    },
    {
      id: 'phq9-item9-tier2',
      itemId: 'phq9_9',
      when: { op: 'eq', value: 1 },
      tier: 2,
      reason: 'PHQ-9 item 9 = 1',
      source: `${CLINICAL_MD} §4.3 tier 2; issue 6 item 5`,
    },
    {
      id: 'phq9-total-tier2',
      when: { op: 'gte', value: 20 },
      tier: 2,
      reason: 'PHQ-9 total ≥ 20',
      source: `${CLINICAL_MD} §4.3 tier 2; issue 6 item 5`,
    },
  ],
};

export const GAD_7: MeasureDefinition = {
  id: 'gad-7',
  version: '1',
  name: 'GAD-7',
  displayLabel: 'GAD-7',
  domain: 'symptom',
  recallPeriod: 'past 2 weeks',
  attribution: `Spitzer RL, Kroenke K, Williams JBW, Löwe B (2006). A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 166:1092–1097. ${PFIZER_NOTICE}`,
  licence: { ...PHQ_LICENCE, note: `Same as PHQ-9: ${PHQ_LICENCE.note}` },
  instructions: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  wording: {
    status: 'complete',
    note: 'Verbatim from the Pfizer GAD-7 form: stem, items 1–7 and option labels. Variants seen in public copies and not used: "anxious or on edge" without the comma (CamCOPS), "it\'s hard" for "it is hard", "by any of the following problems" in the stem (CamCOPS). The form\'s unscored difficulty question is not embedded, as for the PHQ-9.',
    sources: [
      'ucam-department-of-psychiatry/camcops server/camcops_server/extra_strings/gad7.xml: items 2–7 and a0–a3 identical; item 1 lacks the comma after "anxious"',
      'nivlab/nivturk-templates questionnaires/gad7/README.md and nivlab/jspsych-demos tasks/self-report/surveys/gad7.js: stem and items 1–4, 6–7 identical (item 5 "it\'s")',
      'rhavekost/clinical-toolkit …/anxiety-screening/knowledge/assets/gad-7.md: stem, option labels and items 1–4, 6–7 identical',
      'IskandarAyuphan/psychological-aspects-and-bmi questionnaire.md: stem and items 1–7 identical (item 5 "it is hard")',
    ],
  },
  responseOptions: PHQ_OPTIONS,
  items: worded('gad7', [
    'Feeling nervous, anxious, or on edge',
    'Not being able to stop or control worrying',
    'Worrying too much about different things',
    'Trouble relaxing',
    'Being so restless that it is hard to sit still',
    'Becoming easily annoyed or irritable',
    'Feeling afraid as if something awful might happen',
  ]),
  scoring: {
    method: 'sum',
    range: { min: 0, max: 21 },
    partialAnswers: { rule: 'reject', source: NO_PARTIAL_RULE },
    source: `Sum 0–21 (${CLINICAL_MD} §3.2; Spitzer et al. 2006)`,
  },
  subscales: [],
  direction: 'higher_is_worse',
  severityBands: {
    bands: [
      { min: 5, max: 9, label: 'mild' },
      { min: 10, max: 14, label: 'moderate' },
      { min: 15, max: 21, label: 'severe' },
    ],
    source: `5/10/15 = mild / moderate / severe (${CLINICAL_MD} §3.2; Spitzer et al. 2006). clinical.md names no band below 5.`,
  },
  cutoff: {
    value: 10,
    clinicalWhen: 'gte',
    description: '≥ 10 screens positive (sensitivity 89%, specificity 82%); ≥ 8 is often used instead',
    source: `${CLINICAL_MD} §3.2, §3.3 (Spitzer et al. 2006)`,
  },
  reliableChange: {
    kind: 'published',
    threshold: 4,
    source: `IAPT / NHS Talking Therapies convention (${CLINICAL_MD} §3.2, §3.3)`,
  },
  separatelyReportedItems: [],
  safetySignals: [],
};

export const PCL_5: MeasureDefinition = {
  id: 'pcl-5',
  version: '1',
  name: 'PCL-5',
  displayLabel: 'Betrayal-related stress symptoms (PCL-5)',
  domain: 'symptom',
  recallPeriod: 'past month',
  attribution:
    'Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP (2013). The PCL-5. Scale available from the US Department of Veterans Affairs National Center for PTSD (www.ptsd.va.gov); public domain. Psychometrics: Blevins CA et al. (2015), J Trauma Stress 28:489–498.',
  licence: {
    verdict: 'free_attribution_only',
    note: 'Public domain (US government work). Used as a symptom-severity measure anchored to "discovering what happened"; never labelled as a diagnosis (clinical.md §3.2 caveat; clinical sign-off pending, §7 item 8).',
    source: `${CLINICAL_MD} §3.1, §3.2 (https://mhscales.com/pcl5)`,
  },
  instructions:
    'Below is a list of problems that people sometimes have in response to a very stressful experience. Please read each problem carefully and then circle one of the numbers to the right to indicate how much you have been bothered by that problem in the past month.\n\nIn the past month, how much were you bothered by:',
  wording: {
    status: 'complete',
    note: 'Verbatim from the VA National Center for PTSD PCL-5 (standard form, no Criterion A section): instructions, stem, items 1–20 and option labels. "the stressful experience" is kept exactly as published: the items are never altered to name the betrayal. The counselor explains the anchor before the first administration ("the stressful experience" here means discovering what happened: clinical.md §3.2 caveat), and the measure is shown as "Betrayal-related stress symptoms", never as a diagnosis (clinical sign-off pending, clinical.md §7 item 8). The instructions keep the paper form\'s "circle one of the numbers to the right" unaltered; the portal shows the five labelled choices.',
    sources: [
      'ucam-department-of-psychiatry/camcops server/camcops_server/extra_strings/pcl5.xml: items 1–3, 5–9, 11–20 and a0–a4 identical (item 4 lacks a space after "4.", item 10 its "?"), stem worded differently',
      'rhavekost/clinical-toolkit dist/consumer/claude/trauma-screening/assets/pcl-5.md: instructions sentence 1, option labels and items 1–10 identical (sentence 2 adapted to "select one of the options")',
      'Exact-string search of public code: the two instruction sentences identical in at least four independent copies (e.g. index ids 21263681737, 29721906763, 53473604175), the stem "In the past month, how much were you bothered by:" in index ids 27203900820 and 5132065762, items 9–20 in index ids 32424928471 and 6080270944',
    ],
  },
  responseOptions: labelled(['Not at all', 'A little bit', 'Moderately', 'Quite a bit', 'Extremely']),
  items: worded('pcl5', [
    'Repeated, disturbing, and unwanted memories of the stressful experience?',
    'Repeated, disturbing dreams of the stressful experience?',
    'Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?',
    'Feeling very upset when something reminded you of the stressful experience?',
    'Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?',
    'Avoiding memories, thoughts, or feelings related to the stressful experience?',
    'Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?',
    'Trouble remembering important parts of the stressful experience?',
    'Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?',
    'Blaming yourself or someone else for the stressful experience or what happened after it?',
    'Having strong negative feelings such as fear, horror, anger, guilt, or shame?',
    'Loss of interest in activities that you used to enjoy?',
    'Feeling distant or cut off from other people?',
    'Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?',
    'Irritable behavior, angry outbursts, or acting aggressively?',
    'Taking too many risks or doing things that could cause you harm?',
    'Being “superalert” or watchful or on guard?',
    'Feeling jumpy or easily startled?',
    'Having difficulty concentrating?',
    'Trouble falling or staying asleep?',
  ]),
  scoring: {
    method: 'sum',
    range: { min: 0, max: 80 },
    partialAnswers: { rule: 'reject', source: NO_PARTIAL_RULE },
    source: `Sum 0–80; clusters B 1–5, C 6–7, D 8–14, E 15–20 (${CLINICAL_MD} §3.2; Blevins et al. 2015)`,
  },
  subscales: [
    {
      id: 'cluster_b',
      label: 'Cluster B (items 1–5)',
      itemIds: ['pcl5_1', 'pcl5_2', 'pcl5_3', 'pcl5_4', 'pcl5_5'],
      method: 'sum',
    },
    { id: 'cluster_c', label: 'Cluster C (items 6–7)', itemIds: ['pcl5_6', 'pcl5_7'], method: 'sum' },
    {
      id: 'cluster_d',
      label: 'Cluster D (items 8–14)',
      itemIds: ['pcl5_8', 'pcl5_9', 'pcl5_10', 'pcl5_11', 'pcl5_12', 'pcl5_13', 'pcl5_14'],
      method: 'sum',
    },
    {
      id: 'cluster_e',
      label: 'Cluster E (items 15–20)',
      itemIds: ['pcl5_15', 'pcl5_16', 'pcl5_17', 'pcl5_18', 'pcl5_19', 'pcl5_20'],
      method: 'sum',
    },
  ],
  direction: 'higher_is_worse',
  severityBands: null,
  cutoff: {
    value: 33,
    clinicalWhen: 'gte',
    description:
      'Provisional threshold ≥ 33 (published range 31–33; issue 6 uses 33). A symptom-severity threshold, not a diagnosis.',
    source: `${CLINICAL_MD} §3.2, §3.3 (https://comorbidityguidelines.org.au/appendix-s-ptsd-checklist-for-dsm5-pcl5/pcl5-scoring-and-interpretation)`,
  },
  reliableChange: {
    kind: 'published',
    threshold: 10,
    source: `NCPTSD guidance, conservative middle (5–10 reliable, 10–20 clinically meaningful; derived from the DSM-IV PCL, provisional) (${CLINICAL_MD} §3.2, §3.3)`,
    note: 'Alternative: Marx et al. 2022 (Psychol Assess 34:197), veterans: RCI 15–18, clinically significant change cut-off 28.',
  },
  separatelyReportedItems: [],
  safetySignals: [],
};

const CSI_LICENCE = {
  verdict: 'free_from_authors_confirm_commercial' as const,
  note: "Distributed free by the authors for research and clinical use (stated on the circulated CSI-16 scoring sheet). Embedding in a commercial SaaS and the exact attribution are to be confirmed with Rogge's lab (clinical.md §7 item 1). So Mend ships the published wording, but offers the CSI to clients in the portal only after a clinic admin records that the clinic accepts or holds the authors' terms (a licence confirmation: who, when, a reference such as the date of the authors' email; audited; can be withdrawn).",
  source: `${CLINICAL_MD} §3.1, §3.2, §7 item 1`,
};
const CSI_NO_RCI = {
  kind: 'none' as const,
  threshold: null,
  reason:
    'No published reliable-change value: the trend is shown and no reliable-change label is given. A clinic may add a platform-computed value with its provenance once about 100 baseline administrations exist.',
  source: `${CLINICAL_MD} §3.2 ("No published RCI found"), §3.3, §7 item 9`,
};
const FUNK_ROGGE_2007 =
  'Funk JL, Rogge RD (2007). Testing the ruler with item response theory: increasing precision of measurement for relationship satisfaction with the Couples Satisfaction Index. J Fam Psychol 21(4):572–583.';

/** CSI item 1 (0–6). */
const CSI_HAPPINESS = labelled([
  'Extremely Unhappy',
  'Fairly Unhappy',
  'A Little Unhappy',
  'Happy',
  'Very Happy',
  'Extremely Happy',
  'Perfect',
]);
/** The CSI's statements (0–5). */
const CSI_TRUE = labelled([
  'Not at all TRUE',
  'A little TRUE',
  'Somewhat TRUE',
  'Mostly TRUE',
  'Almost Completely TRUE',
  'Completely TRUE',
]);
/** The CSI's "how …" questions (0–5): the measure's shared options. */
const CSI_EXTENT = labelled(['Not at all', 'A little', 'Somewhat', 'Mostly', 'Almost Completely', 'Completely']);
/** CSI-16 item 2, in the order the form prints it: "All the time" first, scored 5. */
const CSI_FREQUENCY: ResponseOption[] = [
  'All the time',
  'Most of the time',
  'More often than not',
  'Occasionally',
  'Rarely',
  'Never',
].map((label, index) => ({ value: 5 - index, label }));

const CSI_HAPPINESS_ITEM = 'Please indicate the degree of happiness, all things considered, of your relationship.';
const CSI_WARM_ITEM = 'I have a warm and comfortable relationship with my partner.';
const CSI_REWARDING_ITEM = 'How rewarding is your relationship with your partner?';
const CSI_SATISFIED_ITEM = 'In general, how satisfied are you with your relationship?';

/** The CSI-16's one instruction line, printed above its semantic differentials (items 11–16). */
export const CSI_16_SEMANTIC_INSTRUCTION =
  'For each of the following items, select the answer that best describes how you feel about your relationship. Base your responses on your first impressions and immediate feelings about the item.';

/**
 * A CSI-16 semantic differential: two poles and six unlabelled positions between them, left
 * to right. Higher is more satisfied, so the position next to the positive pole scores 5:
 * a pair printed with its positive pole on the left (INTERESTING, FULL, STURDY, ENJOYABLE)
 * scores its positions 5…0, the others (BAD–GOOD, DISCOURAGING–HOPEFUL) 0…5, as the
 * authors' form numbers them. No `reverseKeyed`: the values are already the scores.
 */
function semanticDifferential(
  number: number,
  left: string,
  right: string,
  positive: 'left' | 'right',
  introduction?: string,
): MeasureItem {
  return {
    id: `csi16_${number}`,
    number,
    text: null,
    anchors: { left, right },
    options: Array.from({ length: 6 }, (_, position) => ({
      value: positive === 'left' ? 5 - position : position,
      label: null,
    })),
    ...(introduction === undefined ? {} : { introduction }),
  };
}

const CSI_CASE_NOTE =
  'Capitalisation of the option labels follows the authors\' form as transcribed in the copies that keep its mixed case (title-case item 1 labels, "TRUE" in capitals, "Almost Completely"); several code copies re-case every label to sentence case ("Extremely unhappy", "Not at all true", "Almost completely") and one CSI-32 app writes "True": those are not used. The words themselves agree in every copy.';

/** Where the CSI wording was checked (exact-string search of public code, index ids; and public pages). */
const CSI_SOURCES = [
  'Index id 61540653610, a CSI-16 definition "transcribed from the authors\' own CSI-16 form, https://couples-research.com/measures/": items 1–10, every option label (item 1 title case, "Not at all TRUE" … "Completely TRUE", "Not at all" … "Almost Completely" … "Completely", item 2 "All the time" 5 … "Never" 0), the instruction line and the six pole pairs with their position scores (5→0 for INTERESTING–BORING, FULL–EMPTY, STURDY–FRAGILE, ENJOYABLE–MISERABLE; 0→5 for BAD–GOOD, DISCOURAGING–HOPEFUL) identical; items 3–6 printed without the final period',
  'Index ids 62013653197 and 62393724468 (one project: CSI-16 items keyed by their CSI-32 numbers 1, 5, 9, 11, 12, 17, 19–22, 26–28, 30–32, and its scales): items 1–10 identical including final periods; the same pole order with the positive pole scoring 5; labels re-cased to sentence case',
  'Index id 71451971121, a CSI-4 ("items 1, 12, 19 and 22 of the CSI-32", Funk & Rogge 2007): the four items identical; labels sentence case',
  'Index id 38938294021, a CSI-32 app: item 1 and its labels identical (title case); items 5, 9, 11, 12, 17, 19–22 identical (statements without the final period); the positive poles INTERESTING, GOOD, FULL, STURDY, HOPEFUL, ENJOYABLE scored 5',
  'Index ids 59751938752 and 21684495654: CSI-16 items 1–10 identical (the first with final periods; its items 11–16 are a different, non-CSI set, one of the conflicting sets that circulate under the name)',
  'Public pages: ravansanji.ir (?9411171934), a CSI-32 transcription (item 1 labels title case; item 5 labels; the statements); Scribd "CSI 16 Scoring" (document 411250831), the authors\' CSI-16 form (item 1 labels in title case)',
];

export const CSI_4: MeasureDefinition = {
  id: 'csi-4',
  version: '1',
  name: 'CSI-4',
  displayLabel: 'CSI-4',
  domain: 'relationship',
  recallPeriod: null,
  attribution: `Couples Satisfaction Index (CSI-4). ${FUNK_ROGGE_2007} Free from the authors for research and clinical use; exact attribution to be confirmed with the authors.`,
  licence: CSI_LICENCE,
  wording: {
    status: 'complete',
    note: `Verbatim from Funk & Rogge (2007): the CSI-4 is items 1, 12, 19 and 22 of the CSI-32, with their option labels. The form has no instruction line of its own. ${CSI_CASE_NOTE} Some copies print item 2 without its final period. Other item sets circulate under the name "CSI-4" (e.g. with "Our relationship is strong." or "In general, how often do you think that things between you and your partner are going well?"): they are not the paper's CSI-4 and are not used.`,
    sources: CSI_SOURCES,
  },
  responseOptions: CSI_EXTENT,
  items: [
    { id: 'csi4_1', number: 1, text: CSI_HAPPINESS_ITEM, options: CSI_HAPPINESS },
    { id: 'csi4_2', number: 2, text: CSI_WARM_ITEM, options: CSI_TRUE },
    { id: 'csi4_3', number: 3, text: CSI_REWARDING_ITEM },
    { id: 'csi4_4', number: 4, text: CSI_SATISFIED_ITEM },
  ],
  scoring: {
    method: 'sum',
    range: { min: 0, max: 21 },
    partialAnswers: { rule: 'reject', source: NO_PARTIAL_RULE },
    source: `Sum 0–21; item 1 scored 0–6, others 0–5 (${CLINICAL_MD} §3.2; Funk & Rogge 2007)`,
  },
  subscales: [],
  direction: 'higher_is_better',
  severityBands: null,
  cutoff: {
    value: 13.5,
    clinicalWhen: 'lt',
    description: 'Relationship distress when the score is below 13.5',
    source: `${CLINICAL_MD} §3.2 (Funk & Rogge 2007)`,
  },
  reliableChange: CSI_NO_RCI,
  separatelyReportedItems: [],
  safetySignals: [],
};

const csiTrue = (number: number, text: string): MeasureItem => ({
  id: `csi16_${number}`,
  number,
  text,
  options: CSI_TRUE,
});

export const CSI_16: MeasureDefinition = {
  ...CSI_4,
  id: 'csi-16',
  name: 'CSI-16',
  displayLabel: 'CSI-16',
  attribution: `Couples Satisfaction Index (CSI-16). ${FUNK_ROGGE_2007} Free from the authors for research and clinical use; exact attribution to be confirmed with the authors.`,
  wording: {
    status: 'complete',
    note: `Verbatim from the authors' CSI-16 form (Funk & Rogge 2007; items 1, 5, 9, 11, 12, 17, 19–22, 26–28, 30–32 of the CSI-32): items 1–10 with their option labels, and items 11–16 as semantic differentials: the two poles in capitals as printed, left and right, with six unlabelled positions between them (the authors' form numbers the positions with their scores; the authors replace the numbers with blank circles when they administer it, as the portal does). The instruction line is shown once, above item 11 (\`introduction\`), where the form prints it. ${CSI_CASE_NOTE} Some copies print items 3–6 without the final period. Other item sets circulate under the name "CSI-16" (items 11–16 replaced by other questions): they are not the authors' CSI-16 and are not used.`,
    sources: CSI_SOURCES,
  },
  items: [
    { id: 'csi16_1', number: 1, text: CSI_HAPPINESS_ITEM, options: CSI_HAPPINESS },
    {
      id: 'csi16_2',
      number: 2,
      text: 'In general, how often do you think that things between you and your partner are going well?',
      options: CSI_FREQUENCY,
    },
    csiTrue(3, 'Our relationship is strong.'),
    csiTrue(4, 'My relationship with my partner makes me happy.'),
    csiTrue(5, CSI_WARM_ITEM),
    csiTrue(6, 'I really feel like part of a team with my partner.'),
    { id: 'csi16_7', number: 7, text: CSI_REWARDING_ITEM },
    { id: 'csi16_8', number: 8, text: 'How well does your partner meet your needs?' },
    { id: 'csi16_9', number: 9, text: 'To what extent has your relationship met your original expectations?' },
    { id: 'csi16_10', number: 10, text: CSI_SATISFIED_ITEM },
    semanticDifferential(11, 'INTERESTING', 'BORING', 'left', CSI_16_SEMANTIC_INSTRUCTION),
    semanticDifferential(12, 'BAD', 'GOOD', 'right'),
    semanticDifferential(13, 'FULL', 'EMPTY', 'left'),
    semanticDifferential(14, 'STURDY', 'FRAGILE', 'left'),
    semanticDifferential(15, 'DISCOURAGING', 'HOPEFUL', 'right'),
    semanticDifferential(16, 'ENJOYABLE', 'MISERABLE', 'left'),
  ],
  scoring: {
    ...CSI_4.scoring,
    range: { min: 0, max: 81 },
    source: `Sum 0–81; item 1 scored 0–6, others 0–5; items 11–16 score the position next to the positive pole 5 (${CLINICAL_MD} §3.2; Funk & Rogge 2007; the authors' CSI-16 form)`,
  },
  cutoff: {
    value: 51.5,
    clinicalWhen: 'lt',
    description: 'Relationship distress when the score is below 51.5',
    source: `${CLINICAL_MD} §3.2 (Funk & Rogge 2007)`,
  },
};

export const BUILT_IN_MEASURES: readonly MeasureDefinition[] = [PHQ_9, GAD_7, PCL_5, CSI_4, CSI_16];

/** The built-in measure with this id and version, if any (an unknown version is the caller's 404). */
export function findBuiltInMeasure(id: string, version: string): MeasureDefinition | undefined {
  return BUILT_IN_MEASURES.find((measure) => measure.id === id && measure.version === version);
}
