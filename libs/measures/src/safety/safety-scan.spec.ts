import { highestRiskTier, textFieldsOf } from './safety-scan.js';

describe('highestRiskTier (the synchronous scan of a homework submission)', () => {
  it('finds the most urgent tier in any nested text field', () => {
    const answers = {
      rating: 4,
      notes: [{ text: 'Synthetic note.' }, { text: 'I want to kill myself.' }],
      summary: 'Synthetic summary.',
    };
    expect(textFieldsOf(answers).map((field) => field.field)).toEqual([
      'answers.notes.0.text',
      'answers.notes.1.text',
      'answers.summary',
    ]);
    expect(highestRiskTier(answers)).toBe(1);
  });

  it('is null for ordinary text, idioms and blank fields', () => {
    expect(highestRiskTier({ a: 'This is killing me.', b: '   ', c: 'We talked calmly.', d: true })).toBeNull();
    expect(highestRiskTier({})).toBeNull();
  });
});
