import {
  BUILT_IN_MEASURES,
  CSI_16,
  CSI_16_SEMANTIC_INSTRUCTION,
  CSI_4,
  GAD_7,
  PCL_5,
  PHQ_9,
} from './built-in-measures.js';
import {
  isAdministrable,
  optionsOf,
  requiresLicenceConfirmation,
  type MeasureDefinition,
} from './measure-definition.js';
import { scoreAnswers } from './scoring.js';

/** The built-ins with an instruction stem and labelled options on every item (the CSI: see its own block below). */
const WORDED = [PHQ_9, GAD_7, PCL_5];

/** Everything a client is shown of a measure in the portal. */
const clientFacing = (measure: MeasureDefinition): string[] => [
  measure.displayLabel,
  measure.instructions ?? '',
  ...measure.items.flatMap((item) => [
    item.text ?? '',
    ...optionsOf(measure, item).map((option) => option.label ?? ''),
  ]),
];

describe('built-in wording (issue 6 item 1; clinical.md §3.1 "never alter item wording")', () => {
  it.each(WORDED.map((measure) => [measure.name, measure] as const))(
    '%s: every item is worded and its labelled options span the scoring range',
    (_name, measure) => {
      expect(isAdministrable(measure)).toBe(true);
      expect(measure.instructions?.trim()).toBeTruthy();
      let min = 0;
      let max = 0;
      for (const item of measure.items) {
        expect(item.text?.trim()).toBeTruthy();
        const options = optionsOf(measure, item);
        const values = options.map((option) => option.value);
        // One label per integer value from the lowest to the highest, each distinct.
        expect(values).toEqual(Array.from({ length: values.length }, (_, index) => values[0] + index));
        expect(options.every((option) => typeof option.label === 'string' && option.label.trim() !== '')).toBe(true);
        expect(new Set(options.map((option) => option.label)).size).toBe(options.length);
        min += Math.min(...values);
        max += Math.max(...values);
      }
      expect({ min, max }).toEqual(measure.scoring.range);
      // Every option of every item is a scoreable answer.
      const highest = Object.fromEntries(
        measure.items.map((item) => [item.id, optionsOf(measure, item).at(-1)!.value]),
      );
      expect(scoreAnswers(measure, highest).total).toBe(measure.scoring.range.max);
    },
  );

  it('pins the exact published text of the stems, option labels and a few items', () => {
    expect(PHQ_9.instructions).toBe(
      'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
    );
    expect(PHQ_9.responseOptions.map((option) => option.label)).toEqual([
      'Not at all',
      'Several days',
      'More than half the days',
      'Nearly every day',
    ]);
    expect(PHQ_9.items[0].text).toBe('Little interest or pleasure in doing things');
    expect(PHQ_9.items[7].text).toBe(
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    );
    expect(PHQ_9.items[8]).toMatchObject({
      id: 'phq9_9',
      text: 'Thoughts that you would be better off dead or of hurting yourself in some way',
    });

    expect(GAD_7.instructions).toBe(
      'Over the last 2 weeks, how often have you been bothered by the following problems?',
    );
    expect(GAD_7.items.map((item) => item.text)).toEqual([
      'Feeling nervous, anxious, or on edge',
      'Not being able to stop or control worrying',
      'Worrying too much about different things',
      'Trouble relaxing',
      'Being so restless that it is hard to sit still',
      'Becoming easily annoyed or irritable',
      'Feeling afraid as if something awful might happen',
    ]);

    expect(PCL_5.instructions).toBe(
      'Below is a list of problems that people sometimes have in response to a very stressful experience. Please read each problem carefully and then circle one of the numbers to the right to indicate how much you have been bothered by that problem in the past month.\n\nIn the past month, how much were you bothered by:',
    );
    expect(PCL_5.responseOptions.map((option) => option.label)).toEqual([
      'Not at all',
      'A little bit',
      'Moderately',
      'Quite a bit',
      'Extremely',
    ]);
    expect(PCL_5.items[0].text).toBe('Repeated, disturbing, and unwanted memories of the stressful experience?');
    expect(PCL_5.items[16].text).toBe('Being “superalert” or watchful or on guard?');
    expect(PCL_5.items[19].text).toBe('Trouble falling or staying asleep?');
  });

  it('keeps the PCL-5 anchor verbatim ("the stressful experience"), never rewritten to name the betrayal', () => {
    const anchored = PCL_5.items.filter((item) => item.text?.includes('the stressful experience'));
    expect(anchored.map((item) => item.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
    // The instrument's own text (the display label is Mend's, not the instrument's).
    for (const text of clientFacing(PCL_5).slice(1)) expect(text).not.toMatch(/betray|affair|discover|partner/i);
    expect(PCL_5.wording.note).toMatch(/counselor explains the anchor/);
    expect(PCL_5.wording.note).toMatch(/discovering what happened/);
  });

  it('never shows PTSD to the client: the PCL-5 display label, instructions, items and options', () => {
    expect(PCL_5.displayLabel).toBe('Betrayal-related stress symptoms (PCL-5)');
    for (const text of clientFacing(PCL_5)) expect(text).not.toMatch(/PTSD|post-?traumatic/i);
    expect(PCL_5.subscales.map((subscale) => subscale.label).join(' ')).not.toMatch(/PTSD/i);
  });

  it('keeps the attribution of every built-in (the Pfizer notice verbatim on the PHQ-9 and GAD-7)', () => {
    const pfizer =
      'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.';
    expect(PHQ_9.attribution).toContain(pfizer);
    expect(PHQ_9.attribution).toMatch(/Kroenke K, Spitzer RL, Williams JBW \(2001\)/);
    expect(GAD_7.attribution).toContain(pfizer);
    expect(GAD_7.attribution).toMatch(/Spitzer RL, Kroenke K, Williams JBW, Löwe B \(2006\)/);
    expect(PCL_5.attribution).toMatch(/Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP \(2013\)/);
    expect(PCL_5.attribution).toMatch(/public domain/);
    for (const measure of [CSI_4, CSI_16]) expect(measure.attribution).toMatch(/Funk JL, Rogge RD \(2007\)/);
  });

  it('records where each shipped wording was checked: at least two independent sources', () => {
    for (const measure of WORDED) {
      expect(measure.wording.sources?.length ?? 0).toBeGreaterThanOrEqual(2);
      expect(measure.wording.sources?.some((source) => source.includes('camcops'))).toBe(true);
    }
  });

  it('still handles PHQ-9 item 9 separately (reported beside the total, tier 1 at ≥ 2, tier 2 at 1)', () => {
    expect(PHQ_9.separatelyReportedItems).toEqual(['phq9_9']);
    const signals = PHQ_9.safetySignals.filter((signal) => signal.itemId === 'phq9_9');
    expect(signals.map((signal) => [signal.tier, signal.when])).toEqual([
      [1, { op: 'gte', value: 2 }],
      [2, { op: 'eq', value: 1 }],
    ]);
  });

  it('covers every built-in exactly once', () => {
    expect([...WORDED, CSI_4, CSI_16].map((measure) => measure.id).sort()).toEqual(
      BUILT_IN_MEASURES.map((measure) => measure.id).sort(),
    );
  });
});

describe('CSI-4 and CSI-16 wording (Funk & Rogge 2007; pinned)', () => {
  const HAPPINESS = [
    'Extremely Unhappy',
    'Fairly Unhappy',
    'A Little Unhappy',
    'Happy',
    'Very Happy',
    'Extremely Happy',
    'Perfect',
  ];
  const TRUE = [
    'Not at all TRUE',
    'A little TRUE',
    'Somewhat TRUE',
    'Mostly TRUE',
    'Almost Completely TRUE',
    'Completely TRUE',
  ];
  const EXTENT = ['Not at all', 'A little', 'Somewhat', 'Mostly', 'Almost Completely', 'Completely'];
  const FREQUENCY = ['All the time', 'Most of the time', 'More often than not', 'Occasionally', 'Rarely', 'Never'];
  const labels = (measure: MeasureDefinition, index: number) =>
    optionsOf(measure, measure.items[index]).map((option) => option.label);
  const values = (measure: MeasureDefinition, index: number) =>
    optionsOf(measure, measure.items[index]).map((option) => option.value);

  it("CSI-4: the paper's four items and their option labels, verbatim; 7 + 6 + 6 + 6 options span 0–21", () => {
    expect(CSI_4.items.map((item) => [item.id, item.text])).toEqual([
      ['csi4_1', 'Please indicate the degree of happiness, all things considered, of your relationship.'],
      ['csi4_2', 'I have a warm and comfortable relationship with my partner.'],
      ['csi4_3', 'How rewarding is your relationship with your partner?'],
      ['csi4_4', 'In general, how satisfied are you with your relationship?'],
    ]);
    expect(labels(CSI_4, 0)).toEqual(HAPPINESS);
    expect(values(CSI_4, 0)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(labels(CSI_4, 1)).toEqual(TRUE);
    expect(labels(CSI_4, 2)).toEqual(EXTENT);
    expect(labels(CSI_4, 3)).toEqual(EXTENT);
    for (const index of [1, 2, 3]) expect(values(CSI_4, index)).toEqual([0, 1, 2, 3, 4, 5]);
    const maxima = CSI_4.items.map((_, index) => Math.max(...values(CSI_4, index)));
    expect(maxima.reduce((total, value) => total + value, 0)).toBe(21);
    expect(CSI_4.scoring.range).toEqual({ min: 0, max: 21 });
  });

  it('CSI-16 items 1–10: wording and option labels verbatim, item 2 in printed order (All the time = 5)', () => {
    expect(CSI_16.items.slice(0, 10).map((item) => item.text)).toEqual([
      'Please indicate the degree of happiness, all things considered, of your relationship.',
      'In general, how often do you think that things between you and your partner are going well?',
      'Our relationship is strong.',
      'My relationship with my partner makes me happy.',
      'I have a warm and comfortable relationship with my partner.',
      'I really feel like part of a team with my partner.',
      'How rewarding is your relationship with your partner?',
      'How well does your partner meet your needs?',
      'To what extent has your relationship met your original expectations?',
      'In general, how satisfied are you with your relationship?',
    ]);
    expect(labels(CSI_16, 0)).toEqual(HAPPINESS);
    expect(labels(CSI_16, 1)).toEqual(FREQUENCY);
    expect(values(CSI_16, 1)).toEqual([5, 4, 3, 2, 1, 0]);
    for (const index of [2, 3, 4, 5]) expect(labels(CSI_16, index)).toEqual(TRUE);
    for (const index of [6, 7, 8, 9]) expect(labels(CSI_16, index)).toEqual(EXTENT);
  });

  it('CSI-16 items 11–16: semantic differentials, two poles and six unlabelled positions, with the instruction once', () => {
    const differentials = CSI_16.items.slice(10);
    expect(differentials.map((item) => [item.number, item.anchors?.left, item.anchors?.right])).toEqual([
      [11, 'INTERESTING', 'BORING'],
      [12, 'BAD', 'GOOD'],
      [13, 'FULL', 'EMPTY'],
      [14, 'STURDY', 'FRAGILE'],
      [15, 'DISCOURAGING', 'HOPEFUL'],
      [16, 'ENJOYABLE', 'MISERABLE'],
    ]);
    for (const item of differentials) {
      expect(item.text).toBeNull();
      expect(item.reverseKeyed).toBeUndefined();
      expect(optionsOf(CSI_16, item)).toHaveLength(6);
      expect(optionsOf(CSI_16, item).every((option) => option.label === null)).toBe(true);
    }
    expect(CSI_16_SEMANTIC_INSTRUCTION).toBe(
      'For each of the following items, select the answer that best describes how you feel about your relationship. Base your responses on your first impressions and immediate feelings about the item.',
    );
    expect(CSI_16.items.filter((item) => item.introduction !== undefined).map((item) => item.number)).toEqual([11]);
    expect(CSI_16.items[10].introduction).toBe(CSI_16_SEMANTIC_INSTRUCTION);
    // One option per value in each item; 7 + 15 × 6 options; the maxima sum to 81.
    const maxima = CSI_16.items.map((_, index) => Math.max(...values(CSI_16, index)));
    expect(maxima.reduce((total, value) => total + value, 0)).toBe(81);
    for (const [index, item] of CSI_16.items.entries())
      expect(new Set(values(CSI_16, index)).size).toBe(item.number === 1 ? 7 : 6);
  });

  it('scores the semantic differentials toward the positive pole: left-positive pairs run 5…0 by position', () => {
    // Leftmost position of each pair (what a client taps first on the left).
    const leftmost = CSI_16.items.slice(10).map((item) => [item.anchors?.left, optionsOf(CSI_16, item)[0].value]);
    expect(leftmost).toEqual([
      ['INTERESTING', 5],
      ['BAD', 0],
      ['FULL', 5],
      ['STURDY', 5],
      ['DISCOURAGING', 0],
      ['ENJOYABLE', 5],
    ]);
    // A fully satisfied client: the happiest option of 1–10 and the position next to the positive pole of 11–16.
    const positive = new Set(['INTERESTING', 'GOOD', 'FULL', 'STURDY', 'HOPEFUL', 'ENJOYABLE']);
    const satisfied = Object.fromEntries(
      CSI_16.items.map((item) => {
        const options = optionsOf(CSI_16, item);
        if (item.anchors === undefined) return [item.id, Math.max(...options.map((option) => option.value))];
        const position = positive.has(item.anchors.left) ? 0 : options.length - 1;
        return [item.id, options[position].value];
      }),
    );
    expect(scoreAnswers(CSI_16, satisfied)).toMatchObject({ total: 81, inClinicalRange: false });
    // The opposite pole everywhere (and the lowest option of 1–10): 0, in the distress range.
    const dissatisfied = Object.fromEntries(
      CSI_16.items.map((item) => {
        const options = optionsOf(CSI_16, item);
        if (item.anchors === undefined) return [item.id, Math.min(...options.map((option) => option.value))];
        const position = positive.has(item.anchors.left) ? options.length - 1 : 0;
        return [item.id, options[position].value];
      }),
    );
    expect(scoreAnswers(CSI_16, dissatisfied)).toMatchObject({ total: 0, inClinicalRange: true });
  });

  it('ships the CSI worded, gated on a licence confirmation, with its sources and the variants not used', () => {
    for (const measure of [CSI_4, CSI_16]) {
      expect(isAdministrable(measure)).toBe(true);
      expect(requiresLicenceConfirmation(measure)).toBe(true);
      expect(measure.licence.verdict).toBe('free_from_authors_confirm_commercial');
      expect(measure.licence.note).toMatch(/licence confirmation/);
      expect(measure.wording.sources?.length ?? 0).toBeGreaterThanOrEqual(2);
      expect(measure.wording.note).toMatch(/sentence case/);
    }
    for (const measure of [PHQ_9, GAD_7, PCL_5]) expect(requiresLicenceConfirmation(measure)).toBe(false);
  });
});
