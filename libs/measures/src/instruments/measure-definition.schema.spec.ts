import { BUILT_IN_MEASURES, CSI_16, PHQ_9 } from './built-in-measures.js';
import { isAdministrable, type MeasureDefinition } from './measure-definition.js';
import { validateMeasureDefinition } from './measure-definition.schema.js';
import { scoreAnswers } from './scoring.js';
import { CLINIC_TRUST_CHECK } from './testing/clinic-measure.fixture.js';

type Mutable = Record<string, unknown>;
const clone = (): Mutable => structuredClone(CLINIC_TRUST_CHECK) as unknown as Mutable;
const rulesOf = (input: unknown, origin: 'built_in' | 'clinic' = 'clinic') => {
  const result = validateMeasureDefinition(input, origin);
  return result.ok ? [] : result.issues.map((issue) => `${issue.pointer} ${issue.rule}`);
};

describe('validateMeasureDefinition', () => {
  it('accepts every built-in (all worded now, the CSI included) and the clinic fixture', () => {
    for (const measure of BUILT_IN_MEASURES) expect(rulesOf(measure, 'built_in')).toEqual([]);
    expect(rulesOf(CLINIC_TRUST_CHECK)).toEqual([]);
  });

  it("refuses a built-in offered as a clinic measure: the clinic's own licence is required", () => {
    expect(rulesOf(PHQ_9, 'clinic')).toEqual(['/licence/verdict licence-verdict']);
    expect(rulesOf(CSI_16, 'clinic')).toEqual(['/licence/verdict licence-verdict']);
  });

  it.each<[string, (definition: Mutable) => void, string]>([
    ['missing property', (d) => delete d.reliableChange, '/reliableChange schema-required'],
    ['unknown property', (d) => (d.score = 1), '/score schema-additionalProperties'],
    ['bad scoring method', (d) => ((d.scoring as Mutable).method = 'median'), '/scoring/method schema-enum'],
    [
      'RCI without provenance',
      (d) => (d.reliableChange = { kind: 'published', threshold: 5 }),
      '/reliableChange/source schema-required',
    ],
    [
      'no value invented: kind none with a threshold',
      (d) => (d.reliableChange = { kind: 'none', threshold: 4, reason: 'none yet', source: 'x' }),
      '/reliableChange/threshold schema-type',
    ],
    ['duplicate item id', (d) => ((d.items as Mutable[])[1].id = 'ct_1'), '/items/1/id duplicate-item-id'],
    ['item numbering', (d) => ((d.items as Mutable[])[2].number = 7), '/items/2/number item-numbering'],
    ['range mismatch', (d) => ((d.scoring as Mutable).range = { min: 0, max: 5 }), '/scoring/range range-mismatch'],
    [
      'subscale names no item',
      (d) => ((d.subscales as Mutable[])[0].itemIds = ['ct_1', 'ct_9']),
      '/subscales/0/itemIds/1 unknown-item',
    ],
    ['cutoff out of range', (d) => ((d.cutoff as Mutable).value = 9), '/cutoff/value cutoff-out-of-range'],
    [
      'platform RCI inconsistent with SD and r',
      (d) => ((d.reliableChange as Mutable).threshold = 0.5),
      '/reliableChange/threshold rci-inconsistent',
    ],
    ['platform RCI from too few', (d) => ((d.reliableChange as Mutable).n = 40), '/reliableChange/n schema-minimum'],
    [
      'prorating every item away',
      (d) => ((d.scoring as Mutable).partialAnswers = { rule: 'prorate', maxMissing: 6, source: 'manual' }),
      '/scoring/partialAnswers/maxMissing prorate-too-lenient',
    ],
    ['missing item wording', (d) => ((d.items as Mutable[])[0].text = null), '/items/0/text wording-required'],
    [
      'duplicate option value',
      (d) => ((d.responseOptions as Mutable[])[1] = { value: 1, label: 'again' }),
      '/responseOptions duplicate-option-value',
    ],
  ])('rejects %s', (_name, mutate, expected) => {
    const definition = clone();
    mutate(definition);
    expect(rulesOf(definition)).toContain(expected);
  });
});

describe('semantic differentials in a clinic measure', () => {
  /** The synthetic clinic measure with a seventh item: a semantic differential whose positive pole is on the left. */
  function withDifferential(change: (item: Mutable) => void = () => undefined): Mutable {
    const definition = clone();
    const item: Mutable = {
      id: 'ct_7',
      number: 7,
      text: null,
      introduction: 'Synthetic instruction printed above item 7.',
      anchors: { left: 'WARM', right: 'COLD' },
      options: [5, 4, 3, 2, 1].map((value) => ({ value, label: null })),
    };
    change(item);
    (definition.items as Mutable[]).push(item);
    return definition;
  }

  it('accepts two poles with unlabelled positions, in printed order, and keeps the measure administrable', () => {
    expect(rulesOf(withDifferential())).toEqual([]);
    const definition = withDifferential() as unknown as MeasureDefinition;
    expect(isAdministrable(definition)).toBe(true);
    // The position next to the positive (left) pole scores highest; nothing is reverse-keyed twice.
    const answers = { ct_1: 3, ct_2: 3, ct_3: 3, ct_4: 3, ct_5: 3, ct_6: 3, ct_7: 5 };
    expect(scoreAnswers(definition, answers).itemValues.ct_7).toBe(5);
  });

  it.each<[string, (item: Mutable) => void, string]>([
    ['an empty pole', (item) => ((item.anchors as Mutable).right = ''), '/items/6/anchors/right schema-minLength'],
    [
      'a third pole',
      (item) => ((item.anchors as Mutable).middle = 'X'),
      '/items/6/anchors/middle schema-additionalProperties',
    ],
    [
      'unlabelled options without poles',
      (item) => {
        delete item.anchors;
        item.text = 'Synthetic item seven.';
      },
      '/items/6/options wording-required',
    ],
    ['neither text nor poles', (item) => delete item.anchors, '/items/6/text wording-required'],
  ])('refuses %s', (_name, change, expected) => {
    expect(rulesOf(withDifferential(change))).toContain(expected);
  });
});
