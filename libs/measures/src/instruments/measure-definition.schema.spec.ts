import { BUILT_IN_MEASURES, PHQ_9 } from './built-in-measures.js';
import type { MeasureDefinition } from './measure-definition.js';
import { validateMeasureDefinition } from './measure-definition.schema.js';
import { MeasuresError } from './measures.errors.js';
import { CLINIC_TRUST_CHECK } from './testing/clinic-measure.fixture.js';
import { withVerbatimWording } from './wording.js';

type Mutable = Record<string, unknown>;
const clone = (): Mutable => structuredClone(CLINIC_TRUST_CHECK) as unknown as Mutable;
const rulesOf = (input: unknown, origin: 'built_in' | 'clinic' = 'clinic') => {
  const result = validateMeasureDefinition(input, origin);
  return result.ok ? [] : result.issues.map((issue) => `${issue.pointer} ${issue.rule}`);
};

describe('validateMeasureDefinition', () => {
  it('accepts every built-in (wording to be supplied) and the clinic fixture', () => {
    for (const measure of BUILT_IN_MEASURES) expect(rulesOf(measure, 'built_in')).toEqual([]);
    expect(rulesOf(CLINIC_TRUST_CHECK)).toEqual([]);
  });

  it('refuses a built-in offered as a clinic measure: wording and licence required', () => {
    const rules = rulesOf(PHQ_9, 'clinic');
    expect(rules).toContain('/items/0/text wording-required');
    expect(rules).toContain('/responseOptions wording-required');
    expect(rules).toContain('/wording/status wording-required');
    expect(rules).toContain('/licence/verdict licence-verdict');
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

describe('withVerbatimWording', () => {
  const wording = {
    items: Object.fromEntries(PHQ_9.items.map((item) => [item.id, `Supplied text ${item.number}`])),
    responseOptions: { 0: 'Label 0', 1: 'Label 1', 2: 'Label 2', 3: 'Label 3' },
  };

  it('fills every item and option and makes the measure administrable without changing its numbers', () => {
    const filled: MeasureDefinition = withVerbatimWording(PHQ_9, wording);
    expect(filled.items[8].text).toBe('Supplied text 9');
    expect(filled.wording.status).toBe('complete');
    expect(filled.scoring).toBe(PHQ_9.scoring);
    expect(filled.reliableChange).toBe(PHQ_9.reliableChange);
    expect(
      validateMeasureDefinition({ ...filled, licence: { ...filled.licence, verdict: 'clinic_licensed' } }).ok,
    ).toBe(true);
  });

  it('refuses incomplete wording, naming what is missing', () => {
    const { phq9_3: _missing, ...items } = wording.items;
    let failure: unknown;
    try {
      withVerbatimWording(PHQ_9, { ...wording, items });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(MeasuresError);
    expect((failure as MeasuresError).errors).toEqual([
      { field: 'items.phq9_3', rule: 'missing', message: 'is required' },
    ]);
  });
});
