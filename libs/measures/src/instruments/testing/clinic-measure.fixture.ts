import type { MeasureDefinition } from '../measure-definition.js';

/** A synthetic clinic-licensed measure (invented for tests; not a real instrument). */
export const CLINIC_TRUST_CHECK: MeasureDefinition = {
  id: 'clinic-trust-check',
  version: '2024.1',
  name: 'Clinic Trust Check',
  displayLabel: 'Trust check',
  domain: 'relationship',
  recallPeriod: 'past week',
  attribution: 'Synthetic test instrument, Example Clinic.',
  licence: { verdict: 'clinic_licensed', note: 'Test fixture.', source: 'Example Clinic licence 2024-001' },
  wording: { status: 'complete', note: 'Synthetic wording.' },
  responseOptions: [
    { value: 1, label: 'Option one' },
    { value: 2, label: 'Option two' },
    { value: 3, label: 'Option three' },
    { value: 4, label: 'Option four' },
    { value: 5, label: 'Option five' },
  ],
  items: [
    { id: 'ct_1', number: 1, text: 'Synthetic item one.' },
    { id: 'ct_2', number: 2, text: 'Synthetic item two.', reverseKeyed: true },
    { id: 'ct_3', number: 3, text: 'Synthetic item three.' },
    { id: 'ct_4', number: 4, text: 'Synthetic item four.' },
    { id: 'ct_5', number: 5, text: 'Synthetic item five.', reverseKeyed: true },
    { id: 'ct_6', number: 6, text: 'Synthetic item six.' },
  ],
  scoring: {
    method: 'mean',
    range: { min: 1, max: 5 },
    partialAnswers: { rule: 'prorate', maxMissing: 1, source: 'Example Clinic scoring manual p. 2' },
    source: 'Example Clinic scoring manual p. 2',
  },
  subscales: [
    { id: 'honesty', label: 'Honesty', itemIds: ['ct_1', 'ct_2', 'ct_3'], method: 'mean' },
    { id: 'reliability', label: 'Reliability', itemIds: ['ct_4', 'ct_5', 'ct_6'], method: 'mean' },
  ],
  direction: 'higher_is_better',
  severityBands: null,
  cutoff: { value: 3, clinicalWhen: 'lt', description: 'Distress below 3', source: 'Example Clinic manual p. 3' },
  reliableChange: {
    kind: 'platform_computed',
    threshold: 0.86,
    n: 120,
    sd: 0.8,
    r: 0.85,
    reliability: 'test_retest',
    source: 'platform-computed from N = 120, SD = 0.8, r = 0.85 (test-retest r); Jacobson & Truax 1991',
  },
  separatelyReportedItems: [],
  safetySignals: [],
};
