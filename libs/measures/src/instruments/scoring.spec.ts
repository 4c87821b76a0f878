import type { FieldProblem } from '@mend/contracts';

import { BUILT_IN_MEASURES, CSI_16, CSI_4, GAD_7, PCL_5, PHQ_9, findBuiltInMeasure } from './built-in-measures.js';
import {
  isAdministrable,
  requiresLicenceConfirmation,
  type MeasureDefinition,
  type MeasureItem,
} from './measure-definition.js';
import { MeasuresError } from './measures.errors.js';
import { scoreAnswers, type ItemAnswers } from './scoring.js';
import { CLINIC_TRUST_CHECK } from './testing/clinic-measure.fixture.js';

/** Answers from a list of values in item order. */
const answersOf = (definition: MeasureDefinition, values: readonly number[]): ItemAnswers =>
  Object.fromEntries(definition.items.map((item, index) => [item.id, values[index]]));

function problemsOf(run: () => unknown): readonly FieldProblem[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MeasuresError);
    const failure = error as MeasuresError;
    expect(failure.status).toBe(422);
    return failure.errors ?? [];
  }
  throw new Error('expected a 422');
}

describe('built-in measures (clinical.md §3.2)', () => {
  it.each([
    [PHQ_9, 9, 0, 27, 'higher_is_worse', 10, 'gte', 6],
    [GAD_7, 7, 0, 21, 'higher_is_worse', 10, 'gte', 4],
    [PCL_5, 20, 0, 80, 'higher_is_worse', 33, 'gte', 10],
    [CSI_4, 4, 0, 21, 'higher_is_better', 13.5, 'lt', null],
    [CSI_16, 16, 0, 81, 'higher_is_better', 51.5, 'lt', null],
  ])(
    '%#: items, range, direction, cutoff and reliable change',
    (measure, count, min, max, direction, cutoff, when, rci) => {
      expect(measure.items).toHaveLength(count);
      expect(measure.scoring.range).toEqual({ min, max });
      expect(measure.direction).toBe(direction);
      expect(measure.cutoff).toMatchObject({ value: cutoff, clinicalWhen: when });
      expect(measure.reliableChange.threshold).toBe(rci);
      // Options are listed in printed order (CSI-16 item 2 and three of its differentials run 5…0).
      const values = (item: MeasureItem) => (item.options ?? measure.responseOptions).map((option) => option.value);
      const lowest = answersOf(
        measure,
        measure.items.map((item) => Math.min(...values(item))),
      );
      const highest = answersOf(
        measure,
        measure.items.map((item) => Math.max(...values(item))),
      );
      expect(scoreAnswers(measure, lowest).total).toBe(min);
      expect(scoreAnswers(measure, highest).total).toBe(max);
    },
  );

  it('says "no published value" for the CSI instead of inventing one', () => {
    for (const measure of [CSI_4, CSI_16]) {
      expect(measure.reliableChange).toMatchObject({ kind: 'none', threshold: null });
      if (measure.reliableChange.kind === 'none') expect(measure.reliableChange.reason).toMatch(/No published/);
    }
  });

  it('labels the PCL-5 as betrayal-related stress symptoms, never PTSD', () => {
    expect(PCL_5.displayLabel).toBe('Betrayal-related stress symptoms (PCL-5)');
    const shown = [PCL_5.displayLabel, PCL_5.cutoff?.description, ...PCL_5.subscales.map((entry) => entry.label)];
    for (const text of shown) expect(text).not.toMatch(/PTSD/i);
  });

  it('gives every number a source; ships verbatim wording for every built-in; only the CSI needs a licence confirmation', () => {
    for (const measure of BUILT_IN_MEASURES) {
      expect(measure.scoring.source).toMatch(/clinical\.md/);
      expect(measure.reliableChange.source).toMatch(/clinical\.md/);
      expect(measure.cutoff?.source).toMatch(/clinical\.md/);
      expect(measure.licence.source).toMatch(/clinical\.md/);
      expect(measure.wording.status).toBe('complete');
      expect(isAdministrable(measure)).toBe(true);
    }
    expect(BUILT_IN_MEASURES.filter(requiresLicenceConfirmation).map((measure) => measure.id)).toEqual([
      'csi-4',
      'csi-16',
    ]);
  });

  it('finds a built-in by id and version, and nothing for an unknown version', () => {
    expect(findBuiltInMeasure('phq-9', '1')).toBe(PHQ_9);
    expect(findBuiltInMeasure('phq-9', '9')).toBeUndefined();
  });
});

describe('scoreAnswers: hand-computed fixtures', () => {
  it('PHQ-9: sum, band at each boundary, cutoff 10, item 9 reported separately', () => {
    // 1+0+2+1+0+1+0+2+0 = 7 → mild, below cutoff
    const score = scoreAnswers(PHQ_9, answersOf(PHQ_9, [1, 0, 2, 1, 0, 1, 0, 2, 0]));
    expect(score).toMatchObject({ total: 7, band: 'mild', inClinicalRange: false, prorated: false, answeredItems: 9 });
    expect(score.separateItems).toEqual([{ itemId: 'phq9_9', value: 0 }]);
    expect(score.safetySignals).toEqual([]);
    // Items 1–8 filled 3, 3, … up to the total; item 9 = 0 (so no safety signal interferes).
    const at = (total: number) => {
      const firstEight = Array.from({ length: 8 }, (_, index) => Math.max(0, Math.min(3, total - 3 * index)));
      return scoreAnswers(PHQ_9, answersOf(PHQ_9, [...firstEight, 0]));
    };
    expect(at(4)).toMatchObject({ total: 4, band: null, inClinicalRange: false });
    expect(at(5)).toMatchObject({ total: 5, band: 'mild' });
    expect(at(9)).toMatchObject({ total: 9, band: 'mild', inClinicalRange: false });
    expect(at(10)).toMatchObject({ total: 10, band: 'moderate', inClinicalRange: true });
    expect(at(14)).toMatchObject({ total: 14, band: 'moderate' });
    expect(at(15)).toMatchObject({ total: 15, band: 'moderately severe' });
    expect(at(19)).toMatchObject({ total: 19, band: 'moderately severe' });
    expect(at(20)).toMatchObject({ total: 20, band: 'severe' });
  });

  it('PHQ-9 safety signals: item 9 = 1 → tier 2, item 9 ≥ 2 → tier 1, total ≥ 20 → tier 2', () => {
    const one = scoreAnswers(PHQ_9, answersOf(PHQ_9, [0, 0, 0, 0, 0, 0, 0, 0, 1]));
    expect(one.separateItems).toEqual([{ itemId: 'phq9_9', value: 1 }]);
    expect(one.safetySignals).toEqual([
      { ruleId: 'phq9-item9-tier2', tier: 2, reason: 'PHQ-9 item 9 = 1', itemId: 'phq9_9' },
    ]);
    const two = scoreAnswers(PHQ_9, answersOf(PHQ_9, [0, 0, 0, 0, 0, 0, 0, 0, 2]));
    expect(two.safetySignals.map((signal) => signal.ruleId)).toEqual(['phq9-item9-tier1']);
    // 3×6 + 2 + 0 + 0 = 20
    const severe = scoreAnswers(PHQ_9, answersOf(PHQ_9, [3, 3, 3, 3, 3, 3, 2, 0, 0]));
    expect(severe.total).toBe(20);
    expect(severe.safetySignals.map((signal) => signal.ruleId)).toEqual(['phq9-total-tier2']);
    const below = scoreAnswers(PHQ_9, answersOf(PHQ_9, [3, 3, 3, 3, 3, 3, 1, 0, 0]));
    expect(below.total).toBe(19);
    expect(below.safetySignals).toEqual([]);
  });

  it('GAD-7: bands and the cutoff at 9/10', () => {
    expect(scoreAnswers(GAD_7, answersOf(GAD_7, [3, 3, 3, 0, 0, 0, 0]))).toMatchObject({
      total: 9,
      band: 'mild',
      inClinicalRange: false,
    });
    expect(scoreAnswers(GAD_7, answersOf(GAD_7, [3, 3, 3, 1, 0, 0, 0]))).toMatchObject({
      total: 10,
      band: 'moderate',
      inClinicalRange: true,
    });
    expect(scoreAnswers(GAD_7, answersOf(GAD_7, [3, 3, 3, 3, 3, 0, 0]))).toMatchObject({ total: 15, band: 'severe' });
  });

  it('PCL-5: total, clusters B/C/D/E, cutoff at 32/33', () => {
    // B: 4+4+4+4+4 = 20, C: 3+3 = 6, D: 1×7 = 7, E: 0 → 33
    const values = [4, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const score = scoreAnswers(PCL_5, answersOf(PCL_5, values));
    expect(score.total).toBe(33);
    expect(score.subscales).toEqual({ cluster_b: 20, cluster_c: 6, cluster_d: 7, cluster_e: 0 });
    expect(score.inClinicalRange).toBe(true);
    expect(score.band).toBeNull();
    const lower = scoreAnswers(
      PCL_5,
      answersOf(
        PCL_5,
        values.map((value, index) => (index === 13 ? 0 : value)),
      ),
    );
    expect(lower.total).toBe(32);
    expect(lower.inClinicalRange).toBe(false);
  });

  it('CSI-4: item 1 is 0–6, distress below 13.5 (13 is distress, 14 is not)', () => {
    expect(scoreAnswers(CSI_4, answersOf(CSI_4, [6, 5, 2, 0]))).toMatchObject({ total: 13, inClinicalRange: true });
    expect(scoreAnswers(CSI_4, answersOf(CSI_4, [6, 5, 3, 0]))).toMatchObject({ total: 14, inClinicalRange: false });
    expect(problemsOf(() => scoreAnswers(CSI_4, answersOf(CSI_4, [0, 6, 0, 0])))).toEqual([
      { field: 'answers.csi4_2', rule: 'out-of-range', message: 'must be one of 0, 1, 2, 3, 4, 5' },
    ]);
  });

  it('CSI-16: distress below 51.5 (51 is distress, 52 is not)', () => {
    const values51 = [6, ...Array.from({ length: 15 }, (_, index) => (index < 9 ? 5 : 0))]; // 6 + 45 = 51
    expect(scoreAnswers(CSI_16, answersOf(CSI_16, values51))).toMatchObject({ total: 51, inClinicalRange: true });
    const values52 = [...values51.slice(0, 10), 1, ...values51.slice(11)];
    expect(scoreAnswers(CSI_16, answersOf(CSI_16, values52))).toMatchObject({ total: 52, inClinicalRange: false });
  });

  it('clinic measure: reverse keys, mean scoring and subscales', () => {
    // Items 1–6 on 1–5; items 2 and 5 reverse-keyed: answers 5,1,4,2,1,3 → keyed 5,5,4,2,5,3
    const score = scoreAnswers(CLINIC_TRUST_CHECK, answersOf(CLINIC_TRUST_CHECK, [5, 1, 4, 2, 1, 3]));
    expect(score.itemValues).toEqual({ ct_1: 5, ct_2: 5, ct_3: 4, ct_4: 2, ct_5: 5, ct_6: 3 });
    expect(score.total).toBe(4); // 24 / 6
    expect(score.subscales).toEqual({ honesty: 14 / 3, reliability: 10 / 3 });
    expect(score.inClinicalRange).toBe(false); // distress when mean < 3
  });
});

describe('scoreAnswers: partial and invalid answers', () => {
  it('rejects a built-in with a missing item, naming the item (no published partial rule in clinical.md)', () => {
    const answers = { ...answersOf(PHQ_9, [1, 1, 1, 1, 1, 1, 1, 1, 1]), phq9_4: null };
    expect(problemsOf(() => scoreAnswers(PHQ_9, answers))).toEqual([
      { field: 'answers.phq9_4', rule: 'missing', message: 'is required: every item must be answered' },
    ]);
    const { phq9_9: _dropped, ...withoutNine } = answersOf(PHQ_9, [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(problemsOf(() => scoreAnswers(PHQ_9, withoutNine))).toEqual([
      expect.objectContaining({ field: 'answers.phq9_9', rule: 'missing' }),
    ]);
  });

  it('rejects out-of-range, non-integer and unknown items, naming each', () => {
    const answers = { ...answersOf(GAD_7, [0, 4, 1.5, 0, 0, 0, -1]), gad7_8: 1 };
    expect(problemsOf(() => scoreAnswers(GAD_7, answers)).map((problem) => [problem.field, problem.rule])).toEqual([
      ['answers.gad7_8', 'unknown-item'],
      ['answers.gad7_2', 'out-of-range'],
      ['answers.gad7_3', 'out-of-range'],
      ['answers.gad7_7', 'out-of-range'],
    ]);
  });

  it('prorates a clinic measure within its rule and rejects beyond it', () => {
    const { ct_6: _six, ...oneMissing } = answersOf(CLINIC_TRUST_CHECK, [5, 1, 4, 2, 1, 3]);
    const score = scoreAnswers(CLINIC_TRUST_CHECK, oneMissing);
    expect(score).toMatchObject({ prorated: true, answeredItems: 5, total: 21 / 5 });
    expect(score.subscales.reliability).toBe(7 / 2);
    const { ct_5: _five, ...twoMissing } = oneMissing;
    expect(problemsOf(() => scoreAnswers(CLINIC_TRUST_CHECK, twoMissing)).map((problem) => problem.field)).toEqual([
      'answers.ct_5',
      'answers.ct_6',
    ]);
  });

  it('never repeats the submitted value in a message', () => {
    const problems = problemsOf(() => scoreAnswers(PHQ_9, answersOf(PHQ_9, [0, 0, 0, 0, 0, 0, 0, 0, 17])));
    expect(JSON.stringify(problems)).not.toContain('17');
  });
});
