import { IDIOM_RULES, RISK_RULES, RISK_RULESET_VERSION } from './risk-rules.js';
import type {
  IdiomRule,
  RiskMatch,
  RiskRule,
  RiskScanResult,
  RiskSpan,
  RiskTier,
  SuppressedRiskMatch,
} from './risk-scan.types.js';

/**
 * Curly quotes and apostrophes become straight ones, a no-break space a space: every
 * replacement is one UTF-16 unit for one, so offsets in the normalised text are offsets
 * in the original.
 */
export function normaliseForScan(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02BC\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\u00A0/g, ' ');
}

/**
 * A negation right before a match: "I would never | hurt myself", "I don't want to | kill
 * myself", "I have no intention of | hurting myself". A negation further away ("if I
 * don't get help I will kill myself", "I can't stop thinking about killing myself") does
 * not count: the cue must govern the matched verb.
 */
const NEGATION_BEFORE =
  /(?:\bnever|\bnot|n't|\bcannot|\bno\s+(?:intention|intent|plans?|thoughts?|desire|urge|wish)\s+(?:of|to))\s+(?:(?:ever|really|actually|even|at\s+all)\s+)?(?:(?:want(?:ing)?|going|gonna|plan(?:ning)?|intend(?:ing)?|mean|try(?:ing)?|think(?:ing)?\s+(?:of|about)|thought\s+(?:of|about)|feel(?:ing)?)\s+(?:to\s+)?)?(?:(?:do|be|ever)\s+)?$/i;

/** A negation inside a match, governing its harm verb within two words ("he would never hurt me"). */
const NEGATION_INSIDE =
  /(?:\bnever|\bnot|n't)\s+(?:\w+\s+){0,2}?(?:kill|murder|hurt|harm|hit|beat|shoot|stab|strangl|chok|throttl|burn|punch|slap|kick|shov|push|grab|bit|threw|spat|attack|assault|rap|drag|restrain|pin|abus|stalk|track|follow|monitor|spy|spied|physically|suicidal|die|commit|attempt|trying|breaking)\w*/i;

/** Where the sentence holding `offset` starts (a negation never reaches across sentences). */
function sentenceStart(text: string, offset: number): number {
  for (let index = offset - 1; index >= 0; index -= 1) {
    const char = text[index];
    if (char === '.' || char === '!' || char === '?' || char === '\n') return index + 1;
  }
  return 0;
}

function negationCue(rule: RiskRule, text: string, start: number, matched: string): string | undefined {
  if (rule.negation === 'none') return undefined;
  const from = Math.max(sentenceStart(text, start), start - 60);
  const before = NEGATION_BEFORE.exec(text.slice(from, start));
  if (before) return before[0].trim();
  if (rule.negation === 'before_and_inside') {
    const inside = NEGATION_INSIDE.exec(matched);
    if (inside) return inside[0];
  }
  return undefined;
}

interface IdiomHit {
  readonly idiom: IdiomRule;
  readonly start: number;
  readonly end: number;
}

function idiomHits(text: string): IdiomHit[] {
  const hits: IdiomHit[] = [];
  for (const idiom of IDIOM_RULES) {
    for (const found of text.matchAll(idiom.pattern)) {
      if (found[0].length === 0) continue;
      hits.push({ idiom, start: found.index, end: found.index + found[0].length });
    }
  }
  return hits;
}

const IDIOMS_BY_CATEGORY = new Map(
  RISK_RULES.map((rule) => [
    rule.category,
    IDIOM_RULES.filter((idiom) => idiom.categories.includes(rule.category)).map((idiom) => idiom.id),
  ]),
);

function spanOf(original: string, start: number, end: number): RiskSpan {
  return { start, end, text: original.slice(start, end) };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/**
 * Scans one free-text answer. Deterministic (same text, same ruleset → same result) and
 * pure. The result never leaves the clinical side: matched text is clinical content and
 * must not go into logs, audit details or notification titles.
 */
export function scanForRisk(text: string): RiskScanResult {
  const normalised = normaliseForScan(text);
  const idioms = idiomHits(normalised);
  const candidates: RiskMatch[] = [];
  const suppressed: SuppressedRiskMatch[] = [];

  for (const rule of RISK_RULES) {
    for (const found of normalised.matchAll(rule.pattern)) {
      const matched = found[0];
      if (matched.length === 0) continue;
      const start = found.index;
      const end = start + matched.length;
      const span = spanOf(text, start, end);
      const idiom = idioms.find((hit) => hit.idiom.categories.includes(rule.category) && overlaps(hit, span));
      if (idiom) {
        suppressed.push({
          ruleId: rule.id,
          category: rule.category,
          ruleTier: rule.tier,
          span,
          idiomId: idiom.idiom.id,
          idiomSpan: spanOf(text, idiom.start, idiom.end),
        });
        continue;
      }
      const cue = negationCue(rule, normalised, start, matched);
      const idiomIds = IDIOMS_BY_CATEGORY.get(rule.category) ?? [];
      candidates.push({
        ruleId: rule.id,
        category: rule.category,
        tier: cue === undefined ? rule.tier : 3,
        ruleTier: rule.tier,
        span,
        negation: cue === undefined ? { detected: false } : { detected: true, cue },
        idiomSuppression: { considered: idiomIds.length > 0, idiomIds },
        why: rule.why,
      });
    }
  }

  // The most urgent, then the widest, match wins; a match inside a kept one adds nothing.
  const ranked = [...candidates].sort(
    (a, b) =>
      a.tier - b.tier ||
      b.span.end - b.span.start - (a.span.end - a.span.start) ||
      a.span.start - b.span.start ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const kept: RiskMatch[] = [];
  for (const match of ranked) {
    const inside = kept.some((other) => other.span.start <= match.span.start && match.span.end <= other.span.end);
    if (!inside) kept.push(match);
  }
  kept.sort((a, b) => a.span.start - b.span.start || a.tier - b.tier || a.ruleId.localeCompare(b.ruleId));
  suppressed.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));

  const highestTier = kept.reduce<RiskTier | null>(
    (best, match) => (best === null || match.tier < best ? match.tier : best),
    null,
  );
  return { rulesetVersion: RISK_RULESET_VERSION, highestTier, matches: kept, suppressed };
}
