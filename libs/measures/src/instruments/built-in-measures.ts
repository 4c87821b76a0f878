import type { MeasureDefinition, MeasureItem, ResponseOption } from './measure-definition.js';

/**
 * The built-in measures of issue 6, with every number taken from clinical.md §3.2/§3.3
 * (its own citations are repeated as `source`). clinical.md does not reproduce the item
 * wording or the response labels of any instrument, so they are null here ("to be
 * supplied" from the rights holder's published form, verbatim: §3.1 "never alter item
 * wording or response options") and these definitions score answers but are not yet
 * administrable (`isAdministrable` is false) until `withVerbatimWording` fills them.
 */

const CLINICAL_MD = 'clinical.md';
const NO_PARTIAL_RULE =
  'Rejected: clinical.md §3.2 gives no published rule for missing items of this measure, so every item must be answered (issue 6: "handled per each measure\'s published rule or rejected").';

function items(prefix: string, count: number, options?: (number: number) => readonly ResponseOption[] | undefined) {
  return Array.from({ length: count }, (_, index): MeasureItem => {
    const number = index + 1;
    const own = options?.(number);
    return { id: `${prefix}_${number}`, number, text: null, ...(own ? { options: own } : {}) };
  });
}

const scale = (from: number, to: number): ResponseOption[] =>
  Array.from({ length: to - from + 1 }, (_, index) => ({ value: from + index, label: null }));

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
  attribution:
    'Kroenke, Spitzer & Williams (2001). Developed by Spitzer, Williams, Kroenke and colleagues with an educational grant from Pfizer. Copyright notice of Pfizer: exact text to be supplied.',
  licence: PHQ_LICENCE,
  wording: {
    status: 'to_be_supplied',
    note: 'clinical.md gives neither the 9 item texts nor the option labels (only the end anchors "not at all" (0) … "nearly every day" (3)); supply them verbatim from the published PHQ-9.',
  },
  responseOptions: scale(0, 3),
  items: items('phq9', 9),
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
  attribution:
    'Spitzer, Kroenke, Williams & Löwe (2006). Developed with an educational grant from Pfizer. Copyright notice of Pfizer: exact text to be supplied.',
  licence: { ...PHQ_LICENCE, note: `Same as PHQ-9: ${PHQ_LICENCE.note}` },
  wording: {
    status: 'to_be_supplied',
    note: 'clinical.md gives neither the 7 item texts nor the option labels (scale 0–3, past 2 weeks); supply them verbatim from the published GAD-7.',
  },
  responseOptions: scale(0, 3),
  items: items('gad7', 7),
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
  attribution: 'Weathers et al. (2013); Blevins et al. (2015). VA National Center for PTSD.',
  licence: {
    verdict: 'free_attribution_only',
    note: 'Public domain (US government work). Used as a symptom-severity measure anchored to "discovering what happened"; never labelled as a diagnosis (clinical.md §3.2 caveat; clinical sign-off pending, §7 item 8).',
    source: `${CLINICAL_MD} §3.1, §3.2 (https://mhscales.com/pcl5)`,
  },
  wording: {
    status: 'to_be_supplied',
    note: 'clinical.md gives neither the 20 item texts nor the option labels (scale 0–4, past month), nor the exact wording of the "discovering what happened" anchor; supply them verbatim from the published PCL-5 and have the anchor signed off (clinical.md §7 item 8).',
  },
  responseOptions: scale(0, 4),
  items: items('pcl5', 20),
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
  note: "Distributed free by the authors for research and clinical use (stated on the circulated CSI-16 scoring sheet). VERIFY commercial SaaS embedding and the exact attribution with Rogge's lab (clinical.md §7 item 1).",
  source: `${CLINICAL_MD} §3.1, §3.2, §7`,
};
const CSI_NO_RCI = {
  kind: 'none' as const,
  threshold: null,
  reason:
    'No published reliable-change value: the trend is shown and no reliable-change label is given. A clinic may add a platform-computed value with its provenance once about 100 baseline administrations exist.',
  source: `${CLINICAL_MD} §3.2 ("No published RCI found"), §3.3, §7 item 9`,
};
const CSI_WORDING =
  "clinical.md gives neither the item texts nor the option labels, nor which items are reverse-keyed on the authors' scoring sheet (it gives item 1 scored 0–6, the others 0–5, and the sum range); supply them verbatim from the authors' form. Until then answers are taken as already keyed item values.";

export const CSI_4: MeasureDefinition = {
  id: 'csi-4',
  version: '1',
  name: 'CSI-4',
  displayLabel: 'CSI-4',
  domain: 'relationship',
  recallPeriod: null,
  attribution:
    'Couples Satisfaction Index (CSI-4), Funk & Rogge (2007). Exact attribution to be confirmed with the authors.',
  licence: CSI_LICENCE,
  wording: { status: 'to_be_supplied', note: CSI_WORDING },
  responseOptions: scale(0, 5),
  items: items('csi4', 4, (number) => (number === 1 ? scale(0, 6) : undefined)),
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

export const CSI_16: MeasureDefinition = {
  ...CSI_4,
  id: 'csi-16',
  name: 'CSI-16',
  displayLabel: 'CSI-16',
  attribution:
    'Couples Satisfaction Index (CSI-16), Funk & Rogge (2007). Exact attribution to be confirmed with the authors.',
  items: items('csi16', 16, (number) => (number === 1 ? scale(0, 6) : undefined)),
  scoring: {
    ...CSI_4.scoring,
    range: { min: 0, max: 81 },
    source: `Sum 0–81; item 1 scored 0–6, others 0–5 (${CLINICAL_MD} §3.2; Funk & Rogge 2007)`,
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
