export * from './coach.types.js';
export {
  FAMILIES,
  MODE_FAMILIES,
  RULES,
  SAFETY_RULES,
  type FamilyDefinition,
  type RuleDefinition,
} from './coach.rules.js';
export {
  analyseText,
  coachHints,
  safetySignals,
  COACH_HINT_LIMIT,
  COACH_MAX_TEXT_LENGTH,
  type CoachAnalysis,
} from './coach.js';
