import type { IdiomRule, RiskRule } from './risk-scan.types.js';

/**
 * The rule table of the free-text risk scan (clinical.md §4.3 "Free-text risk scan":
 * conservative keyword + pattern scan for self-harm, suicide, homicide, weapons and
 * violence on every free-text field). English only. Tiers follow the §4.3 table:
 * tier 1 = explicit intent, plan or means, threats to kill or harm, violence now,
 * "I'm not safe right now"; tier 2 = passive ideation, disclosures of violence,
 * coercion or stalking, fear of a partner, firearm access; tier 3 = mentions and
 * negated statements. Bump RISK_RULESET_VERSION whenever a pattern changes.
 *
 * Every gap in a pattern is bounded ({0,n}) and stays inside one sentence
 * ([^.!?\n]), so the scan is linear in the length of the text.
 */
export const RISK_RULESET_VERSION = 'risk-scan/2025-1';

const rx = (...parts: string[]): RegExp => new RegExp(parts.join(''), 'gi');

/** Someone other than the writer who may harm them. */
const OTHER = String.raw`(?:he|she|they|my\s+(?:partner|husband|wife|boyfriend|girlfriend|fianc[eé]e?|spouse|ex(?:-(?:husband|wife|partner))?|dad|father|step-?dad|stepfather|mum|mom|mother|brother|son))`;
/** A person a threat can be aimed at. */
const TARGET = String.raw`(?:me|us|you|him|her|them|the\s+(?:kids|children|baby)|my\s+(?:kids|children|son|daughter|baby|family|partner|husband|wife|boyfriend|girlfriend|mum|mom|dad|ex))`;
/** A person harmed by violence (the writer or someone close). */
const VICTIM = String.raw`(?:me|us|the\s+(?:kids|children|baby)|my\s+(?:kids|children|son|daughter|baby|family|mum|mom|dad|dog|cat))`;
const HARM_VERB = String.raw`(?:kill|murder|hurt|harm|hit|beat|shoot|stab|strangle|choke|burn|punch|slap)`;
const FIREARM = String.raw`(?:gun|guns|rifle|pistol|handgun|shotgun|firearm|revolver)`;
const WEAPON = String.raw`(?:gun|knife|rifle|pistol|handgun|shotgun|weapon|blade|machete|bat|hammer|axe|revolver)`;
const PILLS = String.raw`(?:pills|tablets|meds|medication|medicine|painkillers|paracetamol|sleeping\s+pills|insulin)`;
/** Where or when "not safe" becomes "not safe now". */
const NOW_CUE = String.raw`(?:now|right\s+now|tonight|today|at\s+the\s+moment|at\s+home|here|in\s+(?:this|the|my|our)\s+(?:house|home|flat|apartment))`;

export const RISK_RULES: readonly RiskRule[] = [
  // ── Suicide ────────────────────────────────────────────────────────────────
  {
    id: 'SUI-KILL-SELF',
    category: 'suicide',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:kill(?:s|ing|ed)?|end(?:s|ing)?|take|taking|took)\s+(?:myself|my\s+(?:own\s+)?life)\b`,
      String.raw`|\bend\s+it\s+all\b`,
    ),
    negation: 'before',
    why: 'Explicit statement about ending one’s own life (intent, plan or recent act).',
  },
  {
    id: 'SUI-WANT-DIE',
    category: 'suicide',
    tier: 1,
    pattern: rx(
      String.raw`\bI\s+(?:just\s+|really\s+|honestly\s+)?(?:want|wanna|need|am\s+ready|'m\s+ready)\s+(?:to\s+)?die\b`,
    ),
    negation: 'before_and_inside',
    why: 'Explicitly stated wish to die.',
  },
  {
    id: 'SUI-SUICIDAL-SELF',
    category: 'suicide',
    tier: 1,
    pattern: rx(
      String.raw`\bI(?:'m|\s+am|\s+feel|'ve\s+been|\s+have\s+been)\s+(?:(?:feeling|getting|so|very|really|quite|a\s+bit|kind\s+of|pretty)\s+){0,3}suicidal\b`,
      String.raw`|\bsuicide\s+(?:plan|note|letter)s?\b|\b(?:I(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|\s+want\s+to|\s+might))\s+(?:commit|attempt)\s+suicide\b`,
    ),
    negation: 'before_and_inside',
    why: 'The writer describes themself as suicidal, or a suicide plan or note.',
  },
  {
    id: 'SUI-PLAN',
    category: 'suicide',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:plan(?:ned|ning)?|decided|worked\s+out|figured\s+out)\s+(?:how|when|where)\s+(?:to|I(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to))\s+(?:do\s+it|die|end\s+it|kill\s+myself|end\s+my\s+life)\b`,
      String.raw`|\b(?:wrote|written|writing|left)\s+(?:a|my)\s+(?:goodbye|suicide)\s+(?:note|letter)s?\b`,
    ),
    negation: 'before',
    why: 'A plan for suicide (how, when, where) or goodbye letters.',
  },
  {
    id: 'SUI-MEANS',
    category: 'suicide',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:the|my|all\s+(?:the|my)|enough|some|these|those)\s+${PILLS}\s+(?:are\s+|is\s+)?(?:ready|saved|stockpiled|lined\s+up|counted(?:\s+out)?)\b`,
      String.raw`|\b(?:saved|saving|stockpil(?:ed|ing)|collect(?:ed|ing)|hoard(?:ed|ing)|bought|got)\s+(?:up\s+)?(?:enough|all\s+(?:the|my)|a\s+lot\s+of|lots\s+of|loads\s+of)\s+${PILLS}\b`,
      String.raw`|\b(?:take|swallow|taking|swallowing|took|swallowed)\s+(?:all(?:\s+of)?|every\s+one\s+of|the\s+whole\s+(?:bottle|box|pack|packet)\s+of)\s+(?:my|the|these|those)\s+${PILLS}\b`,
      String.raw`|\b(?:going\s+to|gonna|will|'ll|want\s+to|plan(?:ning)?\s+to|about\s+to)\s+overdose\b`,
      String.raw`|\b(?:use|turn|point)\s+(?:it|the\s+\w+|a\s+\w+|my\s+\w+)\s+on\s+myself\b`,
      String.raw`|\b(?:bought|have|got|tied|made)\s+(?:a|the)\s+(?:rope|noose)\b|\bnoose\b`,
      String.raw`|\bjump\s+(?:off|from|in\s+front\s+of)\s+(?:a|the|this|that)\s+(?:bridge|building|roof|cliff|balcony|train|tower|ledge|overpass|car\s+park|bus|truck|lorry)\b`,
    ),
    negation: 'before',
    why: 'Means for suicide prepared or named (pills, rope, a jump).',
  },
  {
    id: 'SUI-OVERDOSE',
    category: 'suicide',
    tier: 2,
    pattern: rx(String.raw`\boverdos(?:e|ed|es|ing)\b`),
    negation: 'before',
    why: 'Overdose mentioned (may be past, or someone else’s): review.',
  },
  {
    id: 'SUI-PASSIVE',
    category: 'suicide',
    tier: 2,
    pattern: rx(
      String.raw`\bwish(?:ed)?\s+I\s+(?:was|were|could\s+be)\s+dead\b`,
      String.raw`|\bwish(?:ed)?\s+I\s+(?:could\s+)?(?:die|disappear\s+forever|never\s+(?:wake|woke)\s+up)\b`,
      String.raw`|\bbetter\s+off\s+(?:dead|without\s+me)\b`,
      String.raw`|\b(?:don't|do\s+not|didn't)\s+want\s+to\s+(?:live|be\s+alive|exist|wake\s+up|be\s+here\s+anymore|go\s+on)\b`,
      String.raw`|\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on|being\s+alive)\b`,
      String.raw`|\bcan't\s+go\s+on\b|\bcannot\s+go\s+on\b`,
      String.raw`|\b(?:tired|sick)\s+of\s+(?:living|being\s+alive)\b`,
      String.raw`|\bnot\s+(?:want\s+to\s+)?be\s+here\s+anymore\b`,
    ),
    negation: 'none',
    why: 'Passive suicidal ideation (wishing to be dead, no reason to live).',
  },
  {
    id: 'SUI-MENTION',
    category: 'suicide',
    tier: 3,
    pattern: rx(String.raw`\bsuicid\w*`),
    negation: 'before',
    why: 'Suicide mentioned without a first-person statement of intent: review in context.',
  },
  // ── Self-harm ──────────────────────────────────────────────────────────────
  {
    id: 'SH-SELF',
    category: 'self_harm',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:cut(?:s|ting)?|burn(?:s|ing|ed|t)?|hurt(?:s|ing)?|harm(?:s|ing|ed)?|hit(?:s|ting)?|punch(?:es|ing|ed)?|starv(?:e|es|ing|ed))\s+myself\b`,
    ),
    negation: 'before',
    why: 'Intent to hurt oneself, or a described act of self-harm.',
  },
  {
    id: 'SH-WORD',
    category: 'self_harm',
    tier: 2,
    pattern: rx(String.raw`\bself[-\s]?(?:harm|injur)\w*`),
    negation: 'before',
    why: 'Self-harm named (may be past): review.',
  },
  // ── Threats ────────────────────────────────────────────────────────────────
  {
    id: 'THR-KILL',
    category: 'threat',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:kill(?:ing)?|murder(?:ing)?|shoot(?:ing)?|stab(?:bing)?|strangl(?:e|ing))\s+${TARGET}\b`,
      String.raw`|\bdeath\s+threats?\b|\bthreats?\s+to\s+(?:kill|hurt|harm)\b`,
    ),
    negation: 'before',
    why: 'Threat to kill (said, reported or feared).',
  },
  {
    id: 'THR-OTHER-WILL-HARM',
    category: 'threat',
    tier: 1,
    pattern: rx(
      String.raw`\b${OTHER}\b[^.!?\n]{0,40}?\b(?:will|would|could|might|'ll|'d|going\s+to|gonna|threatened\s+to|swore\s+to|promised\s+to)`,
      String.raw`(?:n't|\s+not|\s+never)?\s+(?:(?:really|actually|definitely|seriously|just|come\s+and|come\s+back\s+and)\s+)?${HARM_VERB}\s+${VICTIM}\b`,
    ),
    negation: 'before_and_inside',
    why: 'Someone is said or feared to be about to harm the writer or their family.',
  },
  {
    id: 'THR-WRITER-WILL-HARM',
    category: 'threat',
    tier: 1,
    pattern: rx(
      String.raw`\bI(?:'ll|'d|\s+will|\s+would|\s+could|\s+might|\s+won't|\s+swear\s+I(?:'ll|\s+will)|(?:'m|\s+am)\s+(?:going\s+to|gonna|about\s+to|ready\s+to)|\s+(?:want|wanted|need)\s+to|\s+wanna)`,
      String.raw`(?:n't|\s+not|\s+never|\s+ever)?\s+(?:(?:really|actually|seriously|just|go\s+and)\s+)?${HARM_VERB}\s+(?:you|him|her|them|that\s+\w+|his\s+\w+|her\s+\w+)\b`,
    ),
    negation: 'before_and_inside',
    why: 'The writer states an intent to harm someone.',
  },
  {
    id: 'THR-THREATENED-HARM',
    category: 'threat',
    tier: 1,
    pattern: rx(
      String.raw`\bthreaten(?:s|ed|ing)?\s+(?:(?:me|us|him|her)\s+)?(?:to\s+)?(?:kill|hurt|harm|shoot|stab|strangle|burn|beat)\b`,
      String.raw`|\bthreaten(?:s|ed|ing)?\s+(?:me|us|him|her|the\s+kids)\s+with\s+(?:a|the|his|her|their)\s+${WEAPON}\b`,
    ),
    negation: 'before',
    why: 'A threat of physical harm was made.',
  },
  {
    id: 'THR-THREATENED',
    category: 'threat',
    tier: 2,
    pattern: rx(
      String.raw`\bthreaten(?:s|ed|ing)?\s+(?:me|us|to(?!\s+(?:leave|divorce|quit|break\s+up|walk\s+out|move\s+out|end\s+(?:it|things|the\s+relationship))\b))\b`,
    ),
    negation: 'before',
    why: 'A threat was made (e.g. to take the children, to expose): possible coercion.',
  },
  {
    id: 'THR-VEILED',
    category: 'threat',
    tier: 2,
    pattern: rx(
      String.raw`\b(?:I'll|I\s+will)\s+make\s+you\s+pay\b|\bwatch\s+your\s+back\b|\byou(?:'re|\s+are)\s+(?:dead|going\s+to\s+pay)\b`,
      String.raw`|\bif\s+you\s+ever\b[^.!?\n]{0,60}?\bI(?:'ll|\s+will)\s+(?:make\s+you|hurt|destroy|ruin|end|kill)\b`,
    ),
    negation: 'before',
    why: 'Veiled or conditional threat (clinical.md §6.2: routed to the safety scan, not the coach).',
  },
  // ── Violence ───────────────────────────────────────────────────────────────
  {
    id: 'VIO-NOW',
    category: 'violence',
    tier: 1,
    pattern: rx(
      String.raw`\b${OTHER}(?:'s|\s+is|'re|\s+are)\s+(?:hitting|beating|hurting|choking|strangling|attacking|kicking|punching)\s+${VICTIM}\b`,
      String.raw`|\b${OTHER}(?:'s|\s+is|'re|\s+are)\s+(?:trying\s+to\s+(?:get|break)\s+in|breaking\s+(?:in|down\s+the\s+door|the\s+door))\b`,
    ),
    negation: 'before_and_inside',
    why: 'Violence happening now.',
  },
  {
    id: 'VIO-STRANGLE',
    category: 'violence',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:chok(?:ed|es|ing)|strangl(?:ed|es|ing)|throttl(?:ed|es|ing))\s+(?:me|her|him|us)\b`,
      String.raw`|\b(?:hands?|arms?)\s+(?:around|round|on)\s+my\s+(?:neck|throat)\b`,
    ),
    negation: 'before_and_inside',
    why: 'Strangulation: a lethality marker (clinical.md §4.1 exclusion criteria).',
  },
  {
    id: 'VIO-DISCLOSE',
    category: 'violence',
    tier: 2,
    pattern: rx(
      String.raw`\b(?:${OTHER}|you)\s+(?:(?:has|have|had|did|does|do|would|will)(?:n't|\s+not|\s+never)?\s+|never\s+|(?:always|sometimes|once|again|even)\s+)?`,
      String.raw`(?:hit|hits|punched|punches|slapped|slaps|kicked|kicks|shoved|shoves|pushed|pushes|beat|beats|beaten|grabbed|grabs|bit|bites|threw\s+(?:\w+\s+){1,2}at|spat\s+(?:at|on)|attacked|assaulted|raped|sexually\s+assaulted|dragged|restrained|pinned|abused|abuses)`,
      String.raw`\s+${VICTIM}\b`,
      String.raw`|\bphysically\s+(?:hurt|harmed|attacked|abused|violent)\b|\b(?:is|was|has\s+been|gets|got)\s+(?:physically\s+|sexually\s+)?(?:abusive|violent)\b`,
      String.raw`|\bleft\s+(?:me\s+with\s+)?(?:bruises|marks|a\s+black\s+eye)\b`,
    ),
    negation: 'before_and_inside',
    why: 'Disclosure of violence or abuse (§4.3 tier 2: new disclosure of violence).',
  },
  {
    id: 'VIO-WRITER',
    category: 'violence',
    tier: 2,
    pattern: rx(
      String.raw`\bI\s+(?:hit|punched|slapped|kicked|shoved|pushed|choked|strangled|beat|attacked|grabbed)\s+(?:him|her|them|my\s+(?:partner|husband|wife|boyfriend|girlfriend|kids|son|daughter))\b`,
    ),
    negation: 'before',
    why: 'The writer discloses using violence.',
  },
  // ── Weapons ────────────────────────────────────────────────────────────────
  {
    id: 'WPN-USE',
    category: 'weapon',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:point(?:ed|s|ing)?|held|hold(?:s|ing)?|wav(?:ed|es|ing)|pull(?:ed|s|ing)?|brandish(?:ed|es|ing)?|put)\s+(?:a|the|his|her|their|my)\s+${WEAPON}\s+(?:at|to|against|on)\s+(?:me|my|us|him|her|the\s+kids|them)\b`,
      String.raw`|\bcame\s+at\s+(?:me|us|him|her)\s+with\s+(?:a|the|his|her|their)\s+${WEAPON}\b`,
    ),
    negation: 'before',
    why: 'A weapon was used or pointed at someone.',
  },
  {
    id: 'WPN-ACCESS',
    category: 'weapon',
    tier: 2,
    pattern: rx(
      String.raw`\b(?:has|have|got|bought|keeps?|kept|owns?|carr(?:y|ies|ied)|hid(?:es)?|hidden|loaded)\s+(?:(?:a|an|the|his|her|my|their|our)\s+)?(?:\w+\s+)?${FIREARM}\b`,
    ),
    negation: 'before',
    why: 'Access to a firearm (means; a lethality factor).',
  },
  {
    id: 'WPN-MENTION',
    category: 'weapon',
    tier: 3,
    pattern: rx(String.raw`\b(?:guns?|rifles?|pistols?|handguns?|shotguns?|firearms?|ammo|ammunition|bullets?)\b`),
    negation: 'before',
    why: 'A firearm mentioned: review in context.',
  },
  // ── Not safe ───────────────────────────────────────────────────────────────
  {
    id: 'NSF-NOT-SAFE',
    category: 'not_safe',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:I(?:'m|\s+am)|we(?:'re|\s+are))\s+(?:not|no\s+longer|un)\s*safe\b`,
      String.raw`|\b(?:the\s+kids|the\s+children|my\s+(?:kids|children|son|daughter|baby))\s+(?:aren't|isn't|are\s+not|is\s+not|are\s+no\s+longer|is\s+no\s+longer)\s+safe\b`,
      String.raw`|\bit(?:'s|\s+is)\s+not\s+safe\s+(?:for\s+(?:me|us|the\s+kids)\s+)?(?:here|at\s+home|to\s+(?:go|come|stay)\s+home|in\s+(?:this|the|my|our)\s+(?:house|home|flat|apartment))\b`,
      String.raw`|\bI(?:'m|\s+am)\s+in\s+danger\b`,
      String.raw`|\b(?:I\s+(?:don't|do\s+not|no\s+longer)\s+feel\s+safe|I\s+feel\s+unsafe)\b[^.!?\n]{0,40}?\b${NOW_CUE}\b`,
    ),
    negation: 'none',
    why: '"Not safe" now (clinical.md §4.3 tier 1).',
  },
  {
    id: 'NSF-FEEL',
    category: 'not_safe',
    tier: 2,
    pattern: rx(
      String.raw`\bI\s+(?:don't|do\s+not|no\s+longer|never)\s+feel\s+safe\b|\bI\s+feel\s+(?:unsafe|in\s+danger)\b`,
    ),
    negation: 'none',
    why: 'The writer does not feel safe (may be emotional safety): review the same day.',
  },
  {
    id: 'NSF-AFRAID-FOR-LIFE',
    category: 'not_safe',
    tier: 1,
    pattern: rx(
      String.raw`\b(?:scared|afraid|terrified|fear(?:ing|ful)?)\s+for\s+(?:my|our|the\s+kids'?|my\s+kids'?)\s+li(?:fe|ves)\b`,
      String.raw`|\b(?:scared|afraid|terrified|frightened)\s+(?:that\s+)?(?:he|she|they)(?:'ll|\s+will|\s+is\s+going\s+to|'s\s+going\s+to|\s+might|\s+would)\s+(?:kill|hurt|find)\s+(?:me|us|the\s+kids)\b`,
      String.raw`|\b(?:hiding|locked\s+myself)\s+(?:from\s+(?:him|her|them)|in\s+the\s+(?:bathroom|bedroom|car))\b`,
    ),
    negation: 'none',
    why: 'Fear for one’s life, or hiding from someone.',
  },
  {
    id: 'NSF-AFRAID-OF',
    category: 'not_safe',
    tier: 2,
    pattern: rx(
      String.raw`\b(?:I(?:'m|\s+am)|I\s+feel|I\s+get|I\s+was)\s+(?:(?:so|really|very|quite|always|often|sometimes)\s+)?(?:scared|afraid|terrified|frightened)\s+of\s+(?:him|her|them|my\s+(?:partner|husband|wife|boyfriend|girlfriend|ex|dad|father|mum|mom|mother|spouse))\b`,
    ),
    negation: 'none',
    why: 'Fear of a partner or family member (an IPV screening signal).',
  },
  // ── Coercion, stalking, monitoring ────────────────────────────────────────
  {
    id: 'CRC-STALK',
    category: 'coercion',
    tier: 2,
    pattern: rx(
      String.raw`\b(?:${OTHER}|you)\s+(?:(?:is|are|was|were|has\s+been|have\s+been|keeps?|kept)\s+)?(?:stalk(?:ing|ed|s)?|track(?:ing|ed|s)?|follow(?:ing|ed|s)?|monitor(?:ing|ed|s)?|spy(?:ing)?\s+on|spied\s+on|spies\s+on)\s+me\b`,
      String.raw`|\b(?:track(?:s|ed|ing)?|monitor(?:s|ed|ing)?|check(?:s|ed|ing)?)\s+my\s+(?:phone|location|car|messages|texts|emails)\b`,
      String.raw`|\b(?:put|installed|hid|found)\s+(?:a\s+|an\s+)?(?:tracker|tracking\s+(?:app|device)|gps(?:\s+tracker)?|spyware|stalkerware|airtag|hidden\s+camera|camera)\s+(?:on|in)\s+(?:my|our)\b`,
    ),
    negation: 'before_and_inside',
    why: 'Stalking or monitoring disclosed (§4.1 exclusion criteria).',
  },
  {
    id: 'CRC-CONTROL',
    category: 'coercion',
    tier: 2,
    pattern: rx(
      String.raw`\b(?:won't|doesn't|does\s+not|will\s+not|wouldn't|didn't)\s+let\s+me\s+(?:leave|go\s+out|see\s+my\s+(?:friends|family)|have\s+(?:money|a\s+phone|my\s+phone|the\s+car\s+keys)|use\s+(?:the|my)\s+(?:phone|car)|work|call)\b`,
      String.raw`|\b(?:took|takes|take|controls?|controlled|hides?|hid)\s+(?:away\s+)?(?:my|all\s+(?:my|our)|our)\s+(?:money|passport|phone|car\s+keys|keys|bank\s+cards?|documents)\b`,
      String.raw`|\bforc(?:ed|es|ing)\s+me\s+(?:to\s+have\s+sex|into\s+sex|to\s+(?:sign|stay|watch|give))\b|\bmade\s+me\s+have\s+sex\b`,
    ),
    negation: 'none',
    why: 'Coercive control disclosed (isolation, money, documents, sexual coercion).',
  },
];

/**
 * Figures of speech that suppress an overlapping match of the listed categories. Keep
 * each narrow: suppression must never swallow a genuine statement, so a person subject
 * ("he is killing me") is never an idiom.
 */
export const IDIOM_RULES: readonly IdiomRule[] = [
  {
    id: 'IDM-KILLING-ME',
    categories: ['threat'],
    // "… is killing me" with any subject except a person who could mean it ("he's killing me").
    pattern: rx(
      String.raw`(?<!\b(?:he|she|they|husband|wife|partner|boyfriend|girlfriend|ex|dad|father|mum|mom|mother|brother|son|someone|somebody|man|guy|him|her)\s*)`,
      String.raw`(?:\b(?:is|are|was|were)|'s|'re)\s+(?:(?:literally|really|just|absolutely|slowly|honestly|actually|kind\s+of|sort\s+of)\s+)?killing\s+me\b`,
    ),
    example: 'this is killing me; my feet are killing me',
  },
  {
    id: 'IDM-KILLING-MYSELF-TRYING',
    categories: ['suicide'],
    pattern: rx(
      String.raw`\b(?:(?:nearly|almost)\s+)?kill(?:ed|ing)\s+myself\s+(?:laughing|trying|working|to\s+(?:get|finish|make|keep)|for\s+(?:this|that|nothing|them|you))\b`,
    ),
    example: 'I nearly killed myself laughing; I am killing myself trying to fix this',
  },
  {
    id: 'IDM-DIE-OF',
    categories: ['suicide'],
    pattern: rx(
      String.raw`\bdie\s+(?:of|from)\s+(?:embarrassment|shame|boredom|laughter|laughing|happiness|cuteness|curiosity)\b|\bdie\s+laughing\b|\bdying\s+(?:to|for)\b`,
    ),
    example: 'I wanted to die of embarrassment; dying to see it',
  },
  {
    id: 'IDM-ACCIDENTAL-INJURY',
    categories: ['self_harm'],
    pattern: rx(
      String.raw`\b(?:cut|burn(?:ed|t)?|hurt)\s+myself\s+(?:shaving|cooking|chopping|gardening|on\s+(?:a|the)\s+\w+|at\s+(?:the\s+)?(?:gym|work)|playing|running|lifting|by\s+accident|accidentally|falling|when\s+I\s+fell)`,
      String.raw`|\baccidentally\s+(?:cut|burn(?:ed|t)?|hurt)\s+myself\b`,
    ),
    example: 'I cut myself shaving; I hurt myself at the gym',
  },
  {
    id: 'IDM-VIOLENCE-FIGURATIVE',
    categories: ['violence', 'coercion'],
    pattern: rx(
      String.raw`\bhit\s+(?:me|us)\s+up\b|\bpush(?:ed|es)?\s+me\s+(?:away|to\s+(?:do|be|try|go|get|open)|into\s+(?:doing|it|therapy|counselling)|too\s+far)\b`,
      String.raw`|\bkick(?:ed|s)?\s+me\s+out\b|\bbeat(?:s)?\s+me\s+(?:to\s+it|to\s+the\s+punch|at\b|in\s+(?:a|the)\b)`,
      String.raw`|\bfollow(?:s|ed|ing)?\s+me\s+(?:on|back)\b|\bchok(?:ed|es|ing)\s+(?:me|him|her|us)\s+up\b`,
    ),
    example: 'hit me up; you pushed me away; she beat me at chess; follows me on Instagram; it choked me up',
  },
  {
    id: 'IDM-FIREARM-PHRASES',
    categories: ['weapon'],
    pattern: rx(
      String.raw`\bjump(?:ed|ing|s)?\s+the\s+gun\b|\bstick(?:ing|s)?\s+to\s+(?:my|your|his|her|our|their)\s+guns\b|\bsmoking\s+gun\b|\bson\s+of\s+a\s+gun\b|\btop\s+gun\b|\bguns\s+blazing\b`,
      String.raw`|\bbullet\s+(?:points?|journal|train|proof)\b|\bdodged\s+a\s+bullet\b|\bbite\s+the\s+bullet\b|\b(?:silver|magic)\s+bullet\b|\bsweat(?:ing|ed)?\s+bullets\b`,
      String.raw`|\b(?:glue|nail|water|staple|spray|heat)\s+guns?\b|\bwater\s+pistols?\b|\bstarting\s+gun\b|\bgun\s+for\s+hire\b`,
    ),
    example: 'we jumped the gun; I dodged a bullet; bullet points',
  },
  {
    id: 'IDM-SUICIDE-COMPOUND',
    categories: ['suicide'],
    pattern: rx(String.raw`\bsuicide\s+(?:mission|squad|doors?|run|drill|king|blonde)s?\b`),
    example: 'a suicide mission; the Suicide Squad film',
  },
  {
    id: 'IDM-DEAD-TO-ME',
    categories: ['threat'],
    pattern: rx(String.raw`\byou(?:'re|\s+are)\s+dead\s+to\s+me\b`),
    example: "you're dead to me",
  },
  {
    id: 'IDM-NOT-SAFE-TO-DRIVE',
    categories: ['not_safe'],
    pattern: rx(String.raw`\bnot\s+safe\s+to\s+drive\b`),
    example: "I'm not safe to drive after that shift",
  },
];
