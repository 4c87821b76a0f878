import { AUDIENCES, VISIBILITIES, type Audience, type Visibility } from './exercise.types.js';

/**
 * clinical.md names parties as the literature does; Mend names audiences neutrally
 * (clinical.md §0.1, PRODUCT.md Exercise). "both" means each partner separately;
 * "both (joint)" means one joint response; "individual (each)" is done by every
 * participant on their own, which is `each`.
 */
const CLINICAL_PARTY: Readonly<Record<string, Audience>> = {
  betrayed: 'harmed',
  betraying: 'harming',
  both: 'each',
  'both (joint)': 'together',
  'both (separately, then shared)': 'each',
  individual: 'individual',
  'individual (each)': 'each',
};

export class UnknownClinicalTermError extends Error {
  constructor(kind: string, term: string) {
    super(`Unknown clinical.md ${kind}: "${term}"`);
    this.name = 'UnknownClinicalTermError';
  }
}

/** Maps a clinical.md party ("betrayed", "both (joint)") or a Mend audience to the Mend audience. */
export function audienceFromClinical(party: string): Audience {
  const term = party.trim().toLowerCase();
  const mapped = CLINICAL_PARTY[term];
  if (mapped !== undefined) return mapped;
  if ((AUDIENCES as readonly string[]).includes(term)) return term as Audience;
  throw new UnknownClinicalTermError('party', party);
}

export interface VisibilityDefault {
  readonly defaultVisibility: Visibility;
  /** The rest of a compound default: what the counselor may switch to. */
  readonly switchableVisibility: readonly Visibility[];
}

/**
 * Parses clinical.md's visibility wording: a single value (`shared`), a compound default
 * (`clinician` → `release`, `private`/`clinician`) or an optional one (`clinician`, optionally
 * `release`). The first value is the default, the rest may be switched to (PRODUCT.md).
 */
export function visibilityFromClinical(wording: string): VisibilityDefault {
  const found = [...wording.matchAll(/[a-z]+/g)]
    .map((match) => match[0])
    .filter((word): word is Visibility => (VISIBILITIES as readonly string[]).includes(word));
  const unique = [...new Set(found)];
  const [first, ...rest] = unique;
  if (first === undefined) throw new UnknownClinicalTermError('visibility', wording);
  return { defaultVisibility: first, switchableVisibility: rest };
}
