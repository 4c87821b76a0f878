import { analyseText, coachHints, COACH_HINT_LIMIT } from './coach.js';
import { RULES } from './coach.rules.js';
import { COACH_MODES, type CoachHint, type CoachMode } from './coach.types.js';

const summary = (hints: readonly CoachHint[]) => hints.map((hint) => `${hint.family}:${hint.severity}`);
const families = (text: string, mode: CoachMode = 'on') => analyseText(text, mode).hints.map((hint) => hint.family);

describe('coach — the §6.3 cases, exactly', () => {
  it.each<[string, CoachMode, string[]]>([
    ['You always come home late and you never text.', 'on', ['ABS:strong-suggest', 'ABS:strong-suggest']],
    ["You always make me laugh when I'm down.", 'on', []],
    ["I feel like you don't care about us.", 'on', ['PSI:suggest', 'MND:suggest']],
    ["You're so selfish.", 'on', ['LBL:strong-suggest']],
    ['Oh great, another "late meeting" 🙄', 'on', ['SRC:strong-suggest']],
    ['You made me feel stupid.', 'on', ['BLM:suggest']],
    ["I felt scared when you didn't answer at 11pm.", 'on', []],
    ["He said 'you never listen' and I cried.", 'on', ['ABS:info']],
    ["I'm sorry you feel that way, but I was stressed.", 'accountability', ['NAP:strong-suggest']],
    ["It was only a few texts, you're overreacting.", 'accountability', ['MIN:suggest', 'MIN:suggest']],
    ['You need to delete her number.', 'on', ['DMD:suggest']],
    ["And another thing, just like when you forgot my mum's birthday.", 'on', ['KSK:suggest']],
    ['you always lied', 'off', []],
  ])('%s (%s)', (text, mode, expected) => {
    expect(summary(analyseText(text, mode).hints)).toEqual(expected);
  });

  it('folds the two sarcasm markers of the §6.3 example into one flag and says so', () => {
    const [hint] = analyseText('Oh great, another "late meeting" 🙄', 'on').hints;
    expect(hint).toMatchObject({ ruleId: 'SRC-1', span: { start: 0, end: 8, text: 'Oh great' }, extraMarkers: 1 });
  });

  it('routes "If you ever do that again I will make you pay." to the safety scan (DMD threat rule), with no rewrite', () => {
    for (const mode of ['on', 'accountability', 'gentle'] as const) {
      const result = coachHints('If you ever do that again I will make you pay.', mode);
      expect(result.hints).toEqual([]);
      expect(result.safetyPause?.ruleIds).toContain('DMD-T');
    }
  });

  it('never flags "I feel betrayed" or "I feel hurt", in any mode', () => {
    for (const mode of COACH_MODES) {
      expect(analyseText('I feel betrayed.', mode).hints).toEqual([]);
      expect(analyseText('I feel so hurt and betrayed by what you did.', mode).hints).toEqual([]);
    }
  });

  it('gives DMD a scaffold that moves the demand into the agreements (E11)', () => {
    const [hint] = analyseText('You need to delete her number.', 'on').hints;
    expect(hint?.scaffold).toContain('E11');
  });
});

describe('coach — modes', () => {
  const text =
    "You're such a liar. You never listen. You made me do it. I'm sorry if you were upset. It was only once.";

  it('on: every family but the accountability ones (NAP, MIN)', () => {
    expect(new Set(families(text, 'on'))).toEqual(new Set(['LBL', 'ABS', 'BLM']));
  });

  it('accountability: adds NAP and MIN', () => {
    expect(new Set(families(text, 'accountability'))).toEqual(new Set(['LBL', 'ABS', 'BLM', 'NAP', 'MIN']));
  });

  it('gentle: ABS and LBL only, as info', () => {
    const hints = analyseText(text, 'gentle').hints;
    expect(hints.map((hint) => [hint.family, hint.severity, hint.downgradedBecause])).toEqual([
      ['LBL', 'info', 'gentle_mode'],
      ['ABS', 'info', 'gentle_mode'],
    ]);
  });

  it('off: nothing at all, not even a safety pause (the risk scan is separate and always runs)', () => {
    expect(coachHints(text, 'off')).toEqual({ mode: 'off', hints: [], withheld: 0, safetyPause: null });
    expect(coachHints('If you ever do that again I will make you pay.', 'off').safetyPause).toBeNull();
  });

  it('every rule belongs to a family some mode runs, and every id is unique', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  });
});

describe('coach — suppressions', () => {
  it('positive allow-list: praise after a positive absolute is not flagged, a complaint is', () => {
    expect(families("You're always there for me.")).toEqual([]);
    expect(families('Every time you hug me I feel calmer.')).toEqual([]);
    expect(families('You always know how to make me smile.')).toEqual([]);
    expect(families('You always know how to make me feel small.')).toEqual(['ABS']);
    // "never" + a positive verb is a complaint, not praise.
    expect(families('You never help.')).toEqual(['ABS']);
    expect(families('You make me laugh.')).toEqual([]);
    expect(families('You make me furious.')).toEqual(['BLM']);
  });

  it('reported speech: quoted words introduced by said/told me/texted/wrote/asked are info only', () => {
    const [hint] = analyseText('She texted: "you are always late" and I froze.', 'on').hints;
    expect(hint).toMatchObject({ family: 'ABS', severity: 'info', downgradedBecause: 'reported_speech' });
    // Curly quotes and an apostrophe inside single quotes.
    const [curly] = analyseText('He told me \u2018you\u2019re such a liar\u2019 and left.', 'on').hints;
    expect(curly).toMatchObject({ family: 'LBL', severity: 'info', downgradedBecause: 'reported_speech' });
    // The same words outside the quotation are the writer's own.
    const own = analyseText("He said 'fine'. You are always late.", 'on').hints;
    expect(own.map((hint) => [hint.family, hint.severity])).toEqual([['ABS', 'strong-suggest']]);
  });

  it('self-reference: "I always / I never / I\'m such an idiot" is not flagged', () => {
    for (const text of [
      'I always mess this up.',
      'I never know what to say.',
      "I'm such an idiot.",
      'I am so selfish sometimes.',
      'What is wrong with me?',
    ]) {
      expect(analyseText(text, 'accountability').hints).toEqual([]);
    }
  });

  it('negation right before a match ("I\'m not saying you always …") is not flagged', () => {
    expect(families("I'm not saying you always get it wrong.")).toEqual([]);
    expect(families("I don't think you never try.")).toEqual([]);
  });

  it('safety precedence: abuse, violence or self-harm language pauses all coaching of the whole text', () => {
    const result = coachHints("You're abusive. You never listen and you're such a liar.", 'on');
    expect(result).toEqual({ mode: 'on', hints: [], withheld: 0, safetyPause: { ruleIds: ['SAFE-ABUSE'] } });
    expect(coachHints('He hit me. You always side with him.', 'gentle').safetyPause?.ruleIds).toEqual(['SAFE-ABUSE']);
    expect(coachHints('I want to die.', 'accountability').safetyPause?.ruleIds).toEqual(['SAFE-HARM']);
    // Broad on purpose: an idiom pauses the tips too (a false alarm only costs a tip).
    expect(coachHints('This is killing me, you never call.', 'on').safetyPause).not.toBeNull();
    // "You hurt me" is pain, not a safety signal.
    expect(coachHints('You hurt me when you lied.', 'on').safetyPause).toBeNull();
  });
});

describe('coach — the three-hints limit', () => {
  const text =
    "I feel like you're lying. You made me do it. You're such a liar. You never listen. Oh great 🙄. You need to stop.";

  it('shows at most three, highest severity first then in text order, and counts the rest', () => {
    const all = analyseText(text, 'on').hints;
    expect(all.map((hint) => hint.family)).toEqual(['LBL', 'ABS', 'SRC', 'PSI', 'BLM', 'DMD']);
    const result = coachHints(text, 'on');
    expect(result.hints).toHaveLength(COACH_HINT_LIMIT);
    expect(result.withheld).toBe(all.length - COACH_HINT_LIMIT);
    expect(result.hints.map((hint) => hint.family)).toEqual(['LBL', 'ABS', 'SRC']);
    expect(result.hints.every((hint) => hint.severity === 'strong-suggest')).toBe(true);
  });

  it('a short text with fewer hints withholds nothing', () => {
    expect(coachHints('You never listen.', 'on')).toMatchObject({ withheld: 0, hints: [{ family: 'ABS' }] });
  });
});

describe('coach — spans', () => {
  it('are exact offsets into the text as given: text === input.slice(start, end)', () => {
    const input =
      'Well.  You\u2019re ALWAYS late 🙄🙄, and \u201Cyour \u2018meeting\u2019\u201D? You\u2019re such a liar!\nYou made me cry. I\u2019m sorry, but what\u2019s wrong with you??';
    const hints = analyseText(input, 'accountability').hints;
    expect(hints.length).toBeGreaterThanOrEqual(5);
    for (const hint of hints) {
      expect(input.slice(hint.span.start, hint.span.end)).toBe(hint.span.text);
      expect(hint.span.end).toBeGreaterThan(hint.span.start);
    }
    const texts = hints.map((hint) => hint.span.text);
    // Curly apostrophes are kept in the span (normalisation does not move offsets).
    expect(texts).toContain('You\u2019re ALWAYS');
    expect(texts).toContain('You\u2019re such a liar');
    expect(texts).toContain('You made me');
    expect(texts).toContain('what\u2019s wrong with you');
  });

  it('counts offsets in UTF-16 code units after emoji', () => {
    const input = '🙄🙄 You never call.';
    const hint = analyseText(input, 'on').hints.find((candidate) => candidate.family === 'ABS');
    expect(hint?.span).toEqual({ start: 5, end: 14, text: 'You never' });
  });

  it('fills the ABS scaffold with the captured phrase', () => {
    const [hint] = analyseText('Honestly you never text back.', 'on').hints;
    expect(hint?.scaffold).toContain('(you never)');
    expect(hint?.why).toMatch(/counter-example/);
  });
});

describe('coach — determinism and size', () => {
  it('answers the same for the same input, call after call', () => {
    const text = 'You always do this. Yeah, right. You need to stop. '.repeat(20);
    expect(coachHints(text, 'on')).toEqual(coachHints(text, 'on'));
  });

  it('coaches an empty or blank text with no hints', () => {
    expect(coachHints('', 'on').hints).toEqual([]);
    expect(coachHints('   \n ', 'accountability').hints).toEqual([]);
  });
});
