import { IDIOM_RULES, RISK_RULES, RISK_RULESET_VERSION } from './risk-rules.js';
import { scanForRisk } from './risk-scan.js';
import type { RiskScanResult } from './risk-scan.types.js';
import { RISK_CORPUS, type CorpusLabel } from './testing/risk-corpus.js';

const ruleIds = (result: RiskScanResult): string[] => result.matches.map((match) => match.ruleId);

describe('risk scan corpus (issue 6: ≥100 statements, 100% tier 1 caught, ≤20% idioms flagged)', () => {
  const byLabel = (label: CorpusLabel) => RISK_CORPUS.filter((statement) => statement.label === label);
  const results = RISK_CORPUS.map((statement) => ({ ...statement, result: scanForRisk(statement.text) }));
  const of = (label: CorpusLabel) => results.filter((entry) => entry.label === label);
  const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

  const tier1 = of('tier1');
  const tier1Caught = tier1.filter((entry) => entry.result.highestTier === 1);
  const tier2 = of('tier2');
  const tier2Caught = tier2.filter((entry) => entry.result.highestTier !== null && entry.result.highestTier <= 2);
  const negated = of('negated');
  const negatedAtTier3 = negated.filter((entry) => entry.result.highestTier === 3);
  const idioms = of('idiom');
  const idiomsFlagged = idioms.filter((entry) => entry.result.highestTier !== null);

  beforeAll(() => {
    const lines = [
      `risk-scan corpus (${RISK_RULESET_VERSION}): ${RISK_CORPUS.length} statements`,
      `  tier 1 caught at tier 1: ${tier1Caught.length}/${tier1.length} (${percent(tier1Caught.length, tier1.length)})`,
      `  tier 2 caught at tier <= 2: ${tier2Caught.length}/${tier2.length} (${percent(tier2Caught.length, tier2.length)})`,
      `  negated kept at tier 3: ${negatedAtTier3.length}/${negated.length} (${percent(negatedAtTier3.length, negated.length)})`,
      `  idioms flagged: ${idiomsFlagged.length}/${idioms.length} (${percent(idiomsFlagged.length, idioms.length)})`,
      ...idiomsFlagged.map((entry) => `    flagged idiom: ${ruleIds(entry.result).join(', ')}`),
    ];
    console.log(lines.join('\n'));
  });

  it('holds at least 100 labelled statements', () => {
    expect(RISK_CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(byLabel('tier1').length).toBeGreaterThanOrEqual(40);
    expect(byLabel('idiom').length).toBeGreaterThanOrEqual(30);
  });

  it('catches 100% of tier-1 statements at tier 1', () => {
    expect(tier1.filter((entry) => entry.result.highestTier !== 1).map((entry) => entry.text)).toEqual([]);
  });

  it('flags at most 20% of idioms', () => {
    expect(idiomsFlagged.length / idioms.length).toBeLessThanOrEqual(0.2);
  });

  it('catches every tier-2 statement at tier 2 or more urgent', () => {
    expect(tier2.filter((entry) => !tier2Caught.includes(entry)).map((entry) => entry.text)).toEqual([]);
  });

  it('keeps negated statements at tier 3 instead of dropping them', () => {
    expect(negated.filter((entry) => entry.result.highestTier !== 3).map((entry) => entry.text)).toEqual([]);
  });
});

describe('scanForRisk', () => {
  it('reports rule, category, tier and the span as offsets plus matched text', () => {
    const text = 'Long day. I want to kill myself.';
    const [match] = scanForRisk(text).matches;
    expect(match).toMatchObject({
      ruleId: 'SUI-KILL-SELF',
      category: 'suicide',
      tier: 1,
      ruleTier: 1,
      span: { start: 20, end: 31, text: 'kill myself' },
      negation: { detected: false },
    });
    expect(text.slice(match.span.start, match.span.end)).toBe('kill myself');
  });

  it('keeps offsets in the original text when curly quotes are normalised', () => {
    const text = '“Honestly” I’m not safe at home';
    const [match] = scanForRisk(text).matches;
    expect(match.ruleId).toBe('NSF-NOT-SAFE');
    expect(match.span.text).toBe('I’m not safe');
    expect(text.slice(match.span.start, match.span.end)).toBe('I’m not safe');
  });

  it.each([
    ['This is killing me.', 'THR-KILL', 'IDM-KILLING-ME'],
    ['My feet are killing me.', 'THR-KILL', 'IDM-KILLING-ME'],
    ['I cut myself shaving.', 'SH-SELF', 'IDM-ACCIDENTAL-INJURY'],
    ['We dodged a bullet there.', 'WPN-MENTION', 'IDM-FIREARM-PHRASES'],
  ])('suppresses the idiom in %p and records what it suppressed', (text, ruleId, idiomId) => {
    const result = scanForRisk(text);
    expect(result.matches).toEqual([]);
    expect(result.highestTier).toBeNull();
    expect(result.suppressed).toEqual([expect.objectContaining({ ruleId, idiomId })]);
    expect(text.slice(result.suppressed[0].idiomSpan.start, result.suppressed[0].idiomSpan.end)).toBe(
      result.suppressed[0].idiomSpan.text,
    );
  });

  it.each([
    ['I could kill for a coffee.'],
    ["I'm dying to see it."],
    ["I'm dying to see it, this wait is killing me."],
  ])('does not flag %p', (text) => {
    expect(scanForRisk(text).highestTier).toBeNull();
  });

  it('never lets an idiom hide a genuine statement in the same text', () => {
    const result = scanForRisk('This is killing me. I want to kill myself.');
    expect(result.highestTier).toBe(1);
    expect(ruleIds(result)).toEqual(['SUI-KILL-SELF']);
    expect(result.suppressed.map((entry) => entry.ruleId)).toEqual(['THR-KILL']);
  });

  it('does not treat a person as an idiom subject ("he is killing me")', () => {
    const result = scanForRisk("He's killing me.");
    expect(result.highestTier).toBe(1);
    expect(result.suppressed).toEqual([]);
  });

  it('says whether idiom suppression was considered for each match', () => {
    const [threat] = scanForRisk('He said he would kill me.').matches;
    expect(threat.idiomSuppression.considered).toBe(true);
    expect(threat.idiomSuppression.idiomIds).toContain('IDM-KILLING-ME');
    const [control] = scanForRisk('He took my passport.').matches;
    expect(control.category).toBe('coercion');
    expect(control.idiomSuppression.considered).toBe(true);
    const [notSafe] = scanForRisk("I'm in danger").matches;
    expect(notSafe.idiomSuppression).toEqual({ considered: true, idiomIds: ['IDM-NOT-SAFE-TO-DRIVE'] });
  });

  describe('negation: a denial is kept at tier 3 (safer than missing it)', () => {
    it.each([
      ['I would never hurt myself.', 'SH-SELF', 'never'],
      ["I don't want to kill myself.", 'SUI-KILL-SELF', "n't want to"],
      ['He would never hurt me.', 'THR-OTHER-WILL-HARM', 'never hurt'],
    ])('%p', (text, ruleId, cue) => {
      const [match] = scanForRisk(text).matches;
      expect(match).toMatchObject({ ruleId, tier: 3, ruleTier: 1, negation: { detected: true, cue } });
    });

    it.each([
      ["I can't stop thinking about killing myself."],
      ["If I don't get help I will kill myself."],
      ['No one would care if I killed myself.'],
    ])('a negation that does not govern the verb does not lower %p', (text) => {
      expect(scanForRisk(text).highestTier).toBe(1);
    });

    it('a negation in an earlier sentence does not count', () => {
      const [match] = scanForRisk('I never said that. I want to kill myself').matches;
      expect(match.tier).toBe(1);
    });
  });

  describe('tiers (clinical.md §4.3)', () => {
    it.each([
      ['I have the pills ready.', 1, 'suicide'],
      ['He said he would kill me.', 1, 'threat'],
      ["I'm not safe at home tonight.", 1, 'not_safe'],
      ['He pointed a gun at me.', 1, 'weapon'],
      ['He choked me.', 1, 'violence'],
      ['I wish I was dead.', 2, 'suicide'],
      ['He hit me last week.', 2, 'violence'],
      ["I don't feel safe with him.", 2, 'not_safe'],
      ['He has a gun.', 2, 'weapon'],
      ['He keeps following me.', 2, 'coercion'],
      ['Her brother died by suicide.', 3, 'suicide'],
      ['There was a gun on the TV show.', 3, 'weapon'],
    ])('%p → tier %p (%p)', (text, tier, category) => {
      const result = scanForRisk(text);
      expect(result.highestTier).toBe(tier);
      expect(result.matches[0]).toMatchObject({ tier, category });
    });

    it('"don\'t feel safe" becomes tier 1 with a now/here cue in the same sentence', () => {
      expect(scanForRisk("I don't feel safe tonight.").highestTier).toBe(1);
      expect(scanForRisk("I don't feel safe. Tonight we talk.").highestTier).toBe(2);
    });

    it('reports the most urgent tier and drops a match contained in a more urgent one', () => {
      const result = scanForRisk('He said he would kill me and he hit me before.');
      expect(result.highestTier).toBe(1);
      expect(ruleIds(result)).toEqual(['THR-OTHER-WILL-HARM', 'VIO-DISCLOSE']);
      expect(ruleIds(result)).not.toContain('THR-KILL');
    });
  });

  it('finds nothing in ordinary text', () => {
    expect(scanForRisk('We walked the dog and talked about the weekend plans.')).toEqual({
      rulesetVersion: RISK_RULESET_VERSION,
      highestTier: null,
      matches: [],
      suppressed: [],
    });
    expect(scanForRisk('').matches).toEqual([]);
  });

  it('is deterministic and fast on long text', () => {
    const text = RISK_CORPUS.map((statement) => statement.text).join(' ');
    const long = Array.from({ length: 20 }, () => text).join('\n');
    expect(scanForRisk(text)).toEqual(scanForRisk(text));
    const started = performance.now();
    const result = scanForRisk(long);
    const elapsed = performance.now() - started;
    console.log(`risk-scan: ${long.length} characters in ${elapsed.toFixed(1)} ms`);
    expect(result.matches.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(2000);
  });

  it('has unique rule and idiom ids, and every idiom names categories some rule has', () => {
    const ids = [...RISK_RULES.map((rule) => rule.id), ...IDIOM_RULES.map((idiom) => idiom.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const categories = new Set(RISK_RULES.map((rule) => rule.category));
    for (const idiom of IDIOM_RULES) for (const category of idiom.categories) expect(categories).toContain(category);
  });
});
