import { BUILT_IN_EXERCISES, builtInExercise } from '../catalogue/index.js';
import { checkExerciseContent, contentOf } from './exercise-content.js';

describe('exercise definitions (what a clinic exercise version stores)', () => {
  it('accepts the content of every built-in', () => {
    for (const exercise of BUILT_IN_EXERCISES)
      expect({ key: exercise.key, issues: checkExerciseContent(contentOf(exercise)).issues }).toEqual({
        key: exercise.key,
        issues: [],
      });
  });

  const base = contentOf(builtInExercise('E29')!);

  it.each([
    ['a blank title', { title: '   ' }, 'title', 'blank'],
    ['an unknown audience', { audience: 'couple' }, 'audience', 'unknown-audience'],
    ['no phase', { phases: [] }, 'phases', 'phases-required'],
    ['an unknown phase', { phases: ['P9'] }, 'phases[0]', 'unknown-phase'],
    ['an unknown coach mode', { coachMode: 'loud' }, 'coachMode', 'unknown-coach-mode'],
    [
      'a default that is also switchable',
      { switchableVisibility: ['private'] },
      'switchableVisibility',
      'switchable-includes-default',
    ],
    ['zero minutes', { estimatedMinutes: 0 }, 'estimatedMinutes', 'out-of-range'],
    ['an unknown seed concept', { seedConcepts: ['S99'] }, 'seedConcepts[0]', 'unknown-seed-concept'],
    ['an unknown property', { colour: 'red' }, 'colour', 'unknown-property'],
    [
      'an unanswerable response schema',
      { responseSchema: { fields: [{ key: 'a', type: 'select', label: 'A', options: [] }] } },
      'responseSchema.fields.a.options',
      'select-needs-two-options',
    ],
  ])('rejects %s', (_name, change, path, rule) => {
    const result = checkExerciseContent({ ...base, ...change });
    expect(result.valid).toBe(false);
    expect(result.issues).toContainEqual(expect.objectContaining({ path, rule }));
  });

  it('requires the response schema', () => {
    const { responseSchema: _removed, ...rest } = base;
    expect(checkExerciseContent(rest).issues).toContainEqual(
      expect.objectContaining({ path: 'responseSchema', rule: 'missing-property' }),
    );
  });
});
