/**
 * The listener of repair-plan phase changes (a library above repair-plans provides
 * it: measures' safety check-in re-offer, see measures.providers.ts); optional, so
 * plans work without it.
 */
export const PLAN_PHASE_LISTENER = Symbol('PlanPhaseListener');
