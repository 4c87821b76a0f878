import type { CoachFamily, CoachMode, CoachSeverity } from './coach.types.js';

/**
 * The rule table of clinical.md §6.2, as code. Patterns are case-insensitive and
 * run per sentence on text whose curly quotes were straightened (one code unit
 * for one, so offsets do not move). Where a pattern differs from the §6.2 sketch,
 * the comment on the rule says how and why; clinician docs should list the same.
 */

export interface FamilyDefinition {
  readonly family: CoachFamily;
  readonly name: string;
  readonly severity: CoachSeverity;
  readonly why: string;
  /** `{captured phrase}` is replaced by the matched text. */
  readonly scaffold: string;
}

export interface RuleDefinition {
  readonly id: string;
  readonly family: CoachFamily;
  readonly pattern: RegExp;
  /** Below the family's severity (e.g. the ALL-CAPS marker is info only). */
  readonly severity?: CoachSeverity;
  /** Skip the match when the sentence text before it ends with this (questions, "I know …"). */
  readonly unlessBefore?: RegExp;
  /** Skip the match when the text after it starts with this (positive allow-list, §6.2 suppression 1). */
  readonly unlessAfter?: RegExp;
  /** Apply `unlessAfter` only when the matched text itself matches this (e.g. "always" but not "never"). */
  readonly unlessAfterWhenMatch?: RegExp;
}

const STRONG: CoachSeverity = 'strong-suggest';
const SUGGEST: CoachSeverity = 'suggest';

export const FAMILIES: Readonly<Record<CoachFamily, FamilyDefinition>> = {
  ABS: {
    family: 'ABS',
    name: 'Absolutes / overgeneralisation',
    severity: STRONG,
    why: 'Invites a counter-example fight and feels like a verdict on character.',
    scaffold:
      "Pick one recent time: 'On ___, when you ___ ({captured phrase}), I felt ___ because ___. Would you be willing to ___?'",
  },
  LBL: {
    family: 'LBL',
    name: 'Character labels / name-calling',
    severity: STRONG,
    why: 'Attacks the person, not the behaviour (criticism turning into contempt).',
    scaffold: "Describe the action and its effect: 'When you told me ___ and I later found ___, I felt ___.'",
  },
  BLM: {
    family: 'BLM',
    name: 'Blame causation',
    severity: SUGGEST,
    why: "Hands ownership of one's own feelings or actions to the partner.",
    scaffold: "'I felt ___ when ___, and I chose to ___.'",
  },
  MND: {
    family: 'MND',
    name: 'Mind-reading / intent attribution',
    severity: SUGGEST,
    why: 'States a guess about intent as fact.',
    scaffold: "'When ___ happened, I told myself ___. Can you help me understand what was going on for you?'",
  },
  PSI: {
    family: 'PSI',
    name: 'Pseudo-I-statement',
    severity: SUGGEST,
    why: "'I feel that you…' is a judgment dressed as a feeling.",
    scaffold: "Name an emotion word (hurt, scared, lonely, angry, ashamed, confused): 'I feel ___ when ___.'",
  },
  EVF: {
    family: 'EVF',
    name: 'Evaluative "feeling" words',
    severity: 'info',
    why: 'These words imply what the other person did; fine to keep, but naming the emotion underneath helps the listener.',
    scaffold: "Optionally add the emotion underneath: '…and underneath that I feel scared / alone.'",
  },
  SRC: {
    family: 'SRC',
    name: 'Sarcasm / contempt markers',
    severity: STRONG,
    why: 'Sarcasm is a contempt marker and predicts escalation.',
    scaffold:
      "Say the doubt directly: 'I'm finding it hard to believe ___ because ___, and I want to be able to trust what you tell me. Can we talk about what would help?'",
  },
  DMD: {
    family: 'DMD',
    name: 'Demands / ultimatums',
    severity: SUGGEST,
    why: 'A command invites resistance.',
    scaffold:
      "'Would you be willing to ___ by ___?' If it is a boundary, move it into your agreements (E11 Boundaries, Needs & Consequences).",
  },
  KSK: {
    family: 'KSK',
    name: 'Kitchen-sinking / past-dredging',
    severity: SUGGEST,
    why: 'Piles issues together, so nothing gets resolved.',
    scaffold: 'Keep to one event. Park the other concern for your agreement review (E32).',
  },
  NAP: {
    family: 'NAP',
    name: 'Non-apology',
    severity: STRONG,
    why: "Apologises for the other person's reaction, not for one's own act.",
    scaffold: "'I'm sorry that I ___. I understand it hurt you because ___. Here is what I'm doing about it: ___.'",
  },
  MIN: {
    family: 'MIN',
    name: 'Minimising / dismissing',
    severity: SUGGEST,
    why: 'Shrinks the impact your partner described.',
    scaffold: 'Drop the words that make it smaller. Describe the impact as your partner described it.',
  },
};

/** Which families each mode runs (§6.1): `gentle` shows its families as info only. */
export const MODE_FAMILIES: Readonly<Record<CoachMode, readonly CoachFamily[]>> = {
  on: ['ABS', 'LBL', 'BLM', 'MND', 'PSI', 'EVF', 'SRC', 'DMD', 'KSK'],
  accountability: ['ABS', 'LBL', 'BLM', 'MND', 'PSI', 'EVF', 'SRC', 'DMD', 'KSK', 'NAP', 'MIN'],
  gentle: ['ABS', 'LBL'],
  off: [],
};

const rx = (source: string, flags = 'gi') => new RegExp(source, flags);

/** A question or a conditional before "you want to / you need to" is not an attribution or a demand. */
const QUESTION_BEFORE = rx(
  String.raw`\b(?:do|did|does|don't|didn't|if|whether|what|whatever|whenever|anything|everything|would|will|when|how\s+much|as\s+much\s+as|know|understand|realise|realize|appreciate)\s+(?:that\s+)?$`,
  'i',
);

/**
 * §6.2 suppression 1, the positive allow-list: a positive absolute ("always",
 * "every time", "everything you do") followed within four tokens by a positive
 * predicate is praise, not criticism. Fillers ("really", "know how to") may sit
 * between; the predicate itself must be positive.
 */
const POSITIVE_AFTER_ABSOLUTE = rx(
  String.raw`^\s*,?\s*(?:(?:really|just|still|so|truly|somehow|seem\s+to|manage\s+to|know\s+how\s+to|find\s+(?:a\s+)?ways?\s+to|try\s+to|have|has|will|do|did|been)\s+){0,3}` +
    String.raw`(?:make\s+me\s+(?:laugh|smile|feel\s+(?:safe|loved|better|special|good|heard|understood|cared\s+for|at\s+home))` +
    String.raw`|help(?:s|ed)?|support(?:s|ed)?|remember(?:s|ed)?|show(?:s|ed)?\s+up|listen(?:s|ed)?|encourag\w*|believe(?:d)?\s+in\s+(?:me|us)` +
    String.raw`|(?:there|here)\s+for\s+(?:me|us|the\s+kids)|ha(?:ve|d)\s+my\s+back|put(?:s)?\s+(?:us|me|the\s+kids|our\s+family)\s+first` +
    String.raw`|cheer(?:s|ed)?\s+me\s+up|comfort(?:s|ed)?\s+me|brighten\w*|hug(?:s|ged)?\s+me|thank(?:s|ed)?\s+me` +
    String.raw`|(?:so\s+)?(?:kind|patient|generous|loving|gentle|thoughtful))\b`,
  'i',
);
/** Only these absolutes are positive-capable: "you never make me laugh" is a complaint. */
const POSITIVE_CAPABLE_ABSOLUTE = rx(
  String.raw`\b(?:always|constantly|continually|forever|every|each|everything)\b`,
  'i',
);

/** "You make me laugh", "you drove me to work" are not blame (extension of the allow-list to BLM-1). */
const NOT_BLAME_AFTER = rx(
  String.raw`^\s+(?:laugh|smile|happy|so\s+happy|proud|feel\s+(?:safe|loved|better|special|good|heard|understood)|a\s+better|(?:dinner|breakfast|lunch|a\s+(?:cup|coffee|tea|card|meal|cake))` +
    String.raw`|to\s+(?:work|school|the\s+\w+|my|our|his|her)|home|there|back\b)`,
  'i',
);

export const RULES: readonly RuleDefinition[] = [
  // ABS — absolutes (§6.2 patterns verbatim).
  {
    id: 'ABS-1',
    family: 'ABS',
    pattern: rx(String.raw`\byou(?:'re|\s+are)?\s+(?:always|never|constantly|continually|forever)\b`),
    unlessAfter: POSITIVE_AFTER_ABSOLUTE,
    unlessAfterWhenMatch: POSITIVE_CAPABLE_ABSOLUTE,
  },
  {
    id: 'ABS-2',
    family: 'ABS',
    pattern: rx(String.raw`\b(?:every\s+(?:single\s+)?time|each\s+time)\s+you\b`),
    unlessAfter: POSITIVE_AFTER_ABSOLUTE,
    unlessAfterWhenMatch: POSITIVE_CAPABLE_ABSOLUTE,
  },
  {
    id: 'ABS-3',
    family: 'ABS',
    pattern: rx(String.raw`\b(?:nothing|everything)\s+you\s+(?:do|say)\b`),
    unlessAfter: POSITIVE_AFTER_ABSOLUTE,
    unlessAfterWhenMatch: POSITIVE_CAPABLE_ABSOLUTE,
  },
  { id: 'ABS-4', family: 'ABS', pattern: rx(String.raw`\bnot\s+once\s+(?:have|did)\s+you\b`) },

  // LBL — labels. §6.2 word list, plus a few common labels and the modifiers
  // "being", "really", "the most", "nothing but" (e.g. "you're being selfish").
  {
    id: 'LBL-1',
    family: 'LBL',
    pattern: rx(
      String.raw`\byou(?:'re|\s+are)\s+(?:(?:so|such|just|being|acting|really|completely|totally|nothing\s+but|the\s+most|a|an)\s+){0,3}` +
        String.raw`(?:selfish|lazy|liars?|cheat(?:er|ers)?|pathetic|useless|crazy|insane|narcissist(?:ic)?|manipulative|disgusting|stupid|idiots?|childish|heartless|toxic|worthless|fake` +
        String.raw`|losers?|cowards?|cruel|immature|psycho|monsters?|hypocrites?|jerks?|a\s+joke)\b`,
    ),
  },
  { id: 'LBL-2', family: 'LBL', pattern: rx(String.raw`\bwhat(?:'s|\s+is)\s+wrong\s+with\s+you\b`) },
  // Name-calling in the vocative ("you liar", "you lying cheat"): not in the §6.2 sketch.
  {
    id: 'LBL-3',
    family: 'LBL',
    pattern: rx(
      String.raw`\byou\s+(?:(?:selfish|lying|cheating|pathetic|lazy|stupid|useless)\s+){0,2}` +
        String.raw`(?:idiot|jerk|loser|liar|moron|coward|pig|creep|psycho|hypocrite|bastard|asshole|(?<=(?:lying|cheating|selfish)\s+)cheat)\b`,
    ),
  },

  // BLM — blame causation.
  {
    id: 'BLM-1',
    family: 'BLM',
    pattern: rx(String.raw`\byou\s+(?:made|make|forced|drove|drive)\s+me\b`),
    unlessAfter: NOT_BLAME_AFTER,
  },
  { id: 'BLM-2', family: 'BLM', pattern: rx(String.raw`\bit(?:'?s|\s+is|\s+was)\s+(?:all\s+)?your\s+fault\b`) },
  {
    id: 'BLM-3',
    family: 'BLM',
    pattern: rx(String.raw`\b(?:if|because)\s+you\s+(?:hadn'?t|didn'?t|wouldn'?t|had\s+not)\b`),
  },

  // MND — mind-reading. Questions and offers ("do you want to", "if you want to") are skipped.
  {
    id: 'MND-1',
    family: 'MND',
    pattern: rx(String.raw`\byou\s+(?:just\s+)?want(?:ed)?\s+to\b`),
    unlessBefore: QUESTION_BEFORE,
  },
  {
    id: 'MND-2',
    family: 'MND',
    pattern: rx(String.raw`\byou\s+(?:don'?t|do\s+not)\s+(?:even\s+)?care\b`),
    unlessBefore: QUESTION_BEFORE,
  },
  {
    id: 'MND-3',
    family: 'MND',
    pattern: rx(String.raw`\byou\s+did\s+(?:it|that)\s+(?:on\s+purpose|to\s+hurt\s+me)\b`),
  },
  { id: 'MND-4', family: 'MND', pattern: rx(String.raw`\byou\s+(?:obviously|clearly)\b`) },

  // PSI — pseudo-I-statements; the past tense ("I felt like you…") is included.
  {
    id: 'PSI-1',
    family: 'PSI',
    pattern: rx(String.raw`\bI\s+fe(?:el|lt)\s+(?:like|that|as\s+if|as\s+though)\s+you\b`),
  },
  { id: 'PSI-2', family: 'PSI', pattern: rx(String.raw`\bI\s+fe(?:el|lt)\s+you(?:'re|\s+are|\s+were)\b`) },

  // EVF — info only. "betrayed" and "hurt" are deliberately absent and never flagged.
  {
    id: 'EVF-1',
    family: 'EVF',
    pattern: rx(
      String.raw`\bI\s+(?:feel|felt)\s+(?:so\s+|really\s+|very\s+)?(?:ignored|manipulated|used|attacked|disrespected|rejected|lied\s+to|dismissed|unappreciated)\b`,
    ),
  },

  // SRC — markers; several in one sentence make one hint (§6.3).
  // "thanks a lot for …" is sincere unless "for nothing"; "really nice" (sincere too often) is left out.
  {
    id: 'SRC-1',
    family: 'SRC',
    pattern: rx(
      String.raw`\b(?:yeah,?\s+right|sure\s+you\s+(?:did|were|are|do)|oh,?\s+(?:great|wonderful|perfect|sure)|big\s+surprise|what\s+a\s+(?:surprise|shock)` +
        String.raw`|thanks\s+a\s+lot(?!\s+for\s+(?!nothing))|real(?:ly)?\s+(?:mature|classy)|real\s+nice|very\s+mature)\b`,
    ),
  },
  // "as if" only as a retort (sentence start or after a comma / "yeah" / "oh"), not "I feel as if".
  { id: 'SRC-2', family: 'SRC', pattern: rx(String.raw`(?:^|(?<=[,;:]\s*)|(?<=\b(?:yeah|oh)\s+))as\s+if\b`) },
  { id: 'SRC-3', family: 'SRC', pattern: rx(String.raw`\byour\s+"[^"]{1,30}"`) },
  { id: 'SRC-4', family: 'SRC', pattern: rx(String.raw`(?:\u{1F644}|\u{1F612}|\u{1F643})`, 'gu') },
  { id: 'SRC-5', family: 'SRC', pattern: rx(String.raw`(?<=^|\s)\/s\b`) },
  // Runs of ?/! with a question mark ("?!", "??"); "!!" alone is excitement as often as contempt.
  { id: 'SRC-6', family: 'SRC', pattern: rx(String.raw`(?:\?[?!]+|![?!]*\?[?!]*)`) },
  {
    id: 'SRC-7',
    family: 'SRC',
    pattern: rx(
      String.raw`\b(?:how\s+could\s+you|do\s+you\s+even|are\s+you\s+(?:serious|kidding)|who\s+does\s+that)\b`,
    ),
  },
  // ALL-CAPS run of at least two words of three or more letters (case-sensitive), info only.
  { id: 'SRC-8', family: 'SRC', pattern: rx(String.raw`\b[A-Z]{3,}(?:\s+[A-Z]{3,})+\b`, 'g'), severity: 'info' },

  // DMD — demands. Questions, offers and "I know you have to …" are skipped.
  {
    id: 'DMD-1',
    family: 'DMD',
    pattern: rx(String.raw`\byou\s+(?:need|have|ought)\s+to\b`),
    unlessBefore: QUESTION_BEFORE,
  },
  {
    id: 'DMD-2',
    family: 'DMD',
    pattern: rx(String.raw`\byou\s+(?:should|must)\b|\byou(?:\s+had|'d)\s+better\b`),
    unlessBefore: rx(String.raw`\b(?:if|whether|what)\s+$`, 'i'),
  },
  { id: 'DMD-3', family: 'DMD', pattern: rx(String.raw`\bor\s+else\b`) },

  // KSK — kitchen-sinking.
  {
    id: 'KSK-1',
    family: 'KSK',
    pattern: rx(
      String.raw`\b(?:and\s+another\s+thing|just\s+like\s+(?:when|the\s+time)\s+you|remember\s+when\s+you|you\s+did\s+the\s+same|this\s+is\s+(?:just\s+)?like\s+(?:last|every)\s+time)\b`,
    ),
  },

  // NAP — non-apologies (accountability mode). Extended with "sorry you were / found out",
  // "sorry for how you feel", "I apologise if".
  {
    id: 'NAP-1',
    family: 'NAP',
    pattern: rx(
      String.raw`\b(?:I(?:'m|\s+am)\s+)?sorry\s+(?:if|(?:that\s+)?you\s+(?:feel|felt|were|are|got|took|think|thought|had\s+to\s+find\s+out|found\s+out)` +
        String.raw`|for\s+how\s+you\s+(?:feel|felt)|for\s+any\s+(?:hurt|pain|confusion|misunderstanding))\b`,
    ),
  },
  { id: 'NAP-2', family: 'NAP', pattern: rx(String.raw`\b(?:sorry|apologi[sz]e),?\s+but\b`) },
  { id: 'NAP-3', family: 'NAP', pattern: rx(String.raw`\bmistakes\s+were\s+made\b`) },
  { id: 'NAP-4', family: 'NAP', pattern: rx(String.raw`\bI\s+apologi[sz]e\s+if\b`) },

  // MIN — minimising (accountability mode), §6.2 verbatim, split by kind.
  {
    id: 'MIN-1',
    family: 'MIN',
    pattern: rx(
      String.raw`\b(?:it\s+(?:was|meant)\s+nothing|didn'?t\s+mean\s+anything|it\s+was\s+(?:just|only)|only\s+(?:once|a\s+few))\b`,
    ),
  },
  { id: 'MIN-2', family: 'MIN', pattern: rx(String.raw`\b(?:at\s+least\s+I|everyone\s+does)\b`) },
  { id: 'MIN-3', family: 'MIN', pattern: rx(String.raw`\byou'?re\s+(?:overreacting|too\s+sensitive)\b`) },
  {
    id: 'MIN-4',
    family: 'MIN',
    pattern: rx(String.raw`\b(?:get\s+over\s+it|(?:just\s+)?move\s+on|let\s+it\s+go|that'?s\s+in\s+the\s+past)\b`),
  },
];

/**
 * §6.2 suppression 4, safety precedence: threats (the DMD threat pattern of §6.2)
 * and abuse, violence or self-harm language pause all coaching of the text. These
 * are deliberately broad (an idiom like "this is killing me" pauses the tips too):
 * a false alarm only costs a tip, while a "softer" rewrite of an abuse disclosure
 * or a coached threat would do harm. This is not the risk scan (§4.3).
 */
export const SAFETY_RULES: readonly { readonly id: string; readonly pattern: RegExp }[] = [
  { id: 'DMD-T', pattern: rx(String.raw`\bif\s+you\s+ever\b.{0,60}\bI(?:'ll|\s+will)\b`, 'i') },
  {
    id: 'SAFE-ABUSE',
    pattern: rx(
      String.raw`\b(?:abus(?:e|es|ed|ive|er|ing)|violen(?:t|ce)|rap(?:e|ed|ist)|assault(?:s|ed|ing)?|strangl\w*|chok(?:e|ed|es|ing)\s+(?:me|her|him)` +
        String.raw`|(?:hit|hits|punch(?:ed|es)?|slap(?:ped|s)?|kick(?:ed|s)?|shov(?:e|ed|es))\s+(?:me|her|him|the\s+kids?)` +
        String.raw`|push(?:ed|es)?\s+me\s+(?:down|against|into|over|off)|threat(?:en(?:ed|ing|s)?|s)?)\b`,
      'i',
    ),
  },
  {
    id: 'SAFE-HARM',
    pattern: rx(
      String.raw`\b(?:kill(?:s|ed|ing)?|murder\w*|guns?|knife|knives|weapons?|suicid\w*|hurt\s+(?:myself|yourself|you\s+back)|end(?:ing)?\s+(?:it\s+all|my\s+life)` +
        String.raw`|want(?:ed)?\s+to\s+die|not\s+safe|unsafe|(?:don'?t|do\s+not)\s+feel\s+safe|make\s+you\s+pay|you(?:'ll|\s+will)\s+regret)\b`,
      'i',
    ),
  },
];
