import { FAMILIES, MODE_FAMILIES, RULES, SAFETY_RULES, type RuleDefinition } from './coach.rules.js';
import { normaliseQuotes, reportedSpeechRegions, splitSentences, type Segment } from './coach.text.js';
import {
  COACH_SEVERITIES,
  type CoachFamily,
  type CoachHint,
  type CoachMode,
  type CoachResult,
  type CoachSafetyPause,
  type CoachSeverity,
  type DowngradeReason,
} from './coach.types.js';

/** At most this many hints per text (§6.2 suppression 5). */
export const COACH_HINT_LIMIT = 3;
/** The longest text the API coaches (the library itself takes any length). */
export const COACH_MAX_TEXT_LENGTH = 10_000;

/** Context looked at around a match by the guards (characters). */
const LOOK_BEHIND = 48;
const LOOK_AHEAD = 80;

/** Negation or disavowal right before a match ("I'm not saying you always …"): §6.4 context, partly handled. */
const NEGATED_BEFORE =
  /(?:\bnot\s+saying|\b(?:don'?t|do\s+not|didn'?t|did\s+not|never)\s+(?:think|mean|believe|say|said|meant))\s+(?:that\s+)?$/i;

/**
 * Families whose markers describe one act per sentence: several markers there are
 * one hint (§6.3: 'Oh great, another "late meeting" 🙄' is one SRC flag; "And
 * another thing, just like when you…" is one KSK flag). Other families report
 * every distinct match ("you always … you never …" is ABS ×2).
 */
const FOLDED_FAMILIES: ReadonlySet<CoachFamily> = new Set(['SRC', 'KSK']);

const RULES_BY_MODE: Readonly<Record<CoachMode, readonly RuleDefinition[]>> = {
  on: RULES.filter((rule) => MODE_FAMILIES.on.includes(rule.family)),
  accountability: RULES.filter((rule) => MODE_FAMILIES.accountability.includes(rule.family)),
  gentle: RULES.filter((rule) => MODE_FAMILIES.gentle.includes(rule.family)),
  off: [],
};

const rank = (severity: CoachSeverity) => COACH_SEVERITIES.indexOf(severity);

interface Match {
  readonly rule: RuleDefinition;
  readonly start: number;
  readonly end: number;
}

export interface CoachAnalysis {
  readonly mode: CoachMode;
  /** Every hint found, highest severity first, then in text order (no limit). */
  readonly hints: readonly CoachHint[];
  readonly safetyPause: CoachSafetyPause | null;
}

/** The safety-precedence rules that match the text (§6.2 suppression 4); empty when none. */
export function safetySignals(text: string): string[] {
  const normalised = normaliseQuotes(text);
  const ids: string[] = [];
  for (const rule of SAFETY_RULES) {
    rule.pattern.lastIndex = 0;
    if (rule.pattern.test(normalised)) ids.push(rule.id);
  }
  return ids;
}

/** All hints for a text in a mode, unlimited: what `coachHints` chooses from. */
export function analyseText(text: string, mode: CoachMode): CoachAnalysis {
  const rules = RULES_BY_MODE[mode];
  if (rules.length === 0 || text.trim() === '') return { mode, hints: [], safetyPause: null };
  const safety = safetySignals(text);
  if (safety.length > 0) return { mode, hints: [], safetyPause: { ruleIds: safety } };

  const normalised = normaliseQuotes(text);
  const reported = reportedSpeechRegions(normalised);
  const hints: CoachHint[] = [];
  for (const sentence of splitSentences(normalised)) {
    const byFamily = new Map<CoachFamily, Match[]>();
    const body = normalised.slice(sentence.start, sentence.end);
    for (const rule of rules) {
      for (const match of matchesIn(body, rule)) {
        const list = byFamily.get(rule.family);
        const absolute = { rule, start: sentence.start + match.start, end: sentence.start + match.end };
        if (list === undefined) byFamily.set(rule.family, [absolute]);
        else list.push(absolute);
      }
    }
    for (const [family, matches] of byFamily) {
      const kept = withoutOverlaps(matches);
      if (FOLDED_FAMILIES.has(family)) hints.push(toHint(text, mode, representative(kept), reported, kept.length - 1));
      else for (const match of kept) hints.push(toHint(text, mode, match, reported, 0));
    }
  }
  hints.sort((a, b) => rank(b.severity) - rank(a.severity) || a.span.start - b.span.start);
  return { mode, hints, safetyPause: null };
}

/**
 * The coach's answer for a text: at most three hints, highest severity first
 * (then in text order), the number withheld beyond them, and the safety pause.
 */
export function coachHints(text: string, mode: CoachMode): CoachResult {
  const analysis = analyseText(text, mode);
  return {
    mode,
    hints: analysis.hints.slice(0, COACH_HINT_LIMIT),
    withheld: Math.max(0, analysis.hints.length - COACH_HINT_LIMIT),
    safetyPause: analysis.safetyPause,
  };
}

function* matchesIn(body: string, rule: RuleDefinition): Generator<{ start: number; end: number }> {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) {
    const start = match.index;
    const end = start + match[0].length;
    if (end === start) {
      pattern.lastIndex += 1;
      continue;
    }
    const before = body.slice(Math.max(0, start - LOOK_BEHIND), start);
    if (NEGATED_BEFORE.test(before)) continue;
    if (rule.unlessBefore?.test(before)) continue;
    if (
      rule.unlessAfter !== undefined &&
      (rule.unlessAfterWhenMatch === undefined || rule.unlessAfterWhenMatch.test(match[0])) &&
      rule.unlessAfter.test(body.slice(end, end + LOOK_AHEAD))
    )
      continue;
    yield { start, end };
  }
}

/** Within one family, overlapping matches are one finding: the earliest (the longest when they start together). */
function withoutOverlaps(matches: Match[]): Match[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Match[] = [];
  for (const match of sorted) {
    const last = kept[kept.length - 1];
    if (last !== undefined && match.start < last.end) continue;
    kept.push(match);
  }
  return kept;
}

/** The marker a folded SRC hint shows: the strongest, then the earliest. */
function representative(matches: Match[]): Match {
  let best = matches[0];
  for (const match of matches) if (rank(ruleSeverity(match.rule)) > rank(ruleSeverity(best.rule))) best = match;
  return best;
}

function ruleSeverity(rule: RuleDefinition): CoachSeverity {
  return rule.severity ?? FAMILIES[rule.family].severity;
}

function inside(regions: readonly Segment[], offset: number): boolean {
  return regions.some((region) => offset >= region.start && offset < region.end);
}

function toHint(
  text: string,
  mode: CoachMode,
  match: Match,
  reported: readonly Segment[],
  extraMarkers: number,
): CoachHint {
  const family = FAMILIES[match.rule.family];
  const spanText = text.slice(match.start, match.end);
  let severity = ruleSeverity(match.rule);
  let downgradedBecause: DowngradeReason | null = severity === family.severity ? null : 'info_marker';
  if (inside(reported, match.start)) {
    severity = 'info';
    downgradedBecause = 'reported_speech';
  } else if (mode === 'gentle') {
    severity = 'info';
    downgradedBecause = 'gentle_mode';
  }
  return {
    ruleId: match.rule.id,
    family: family.family,
    familyName: family.name,
    severity,
    downgradedBecause,
    span: { start: match.start, end: match.end, text: spanText },
    why: family.why,
    scaffold: family.scaffold.replace('{captured phrase}', spanText),
    extraMarkers,
  };
}
