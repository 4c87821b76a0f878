import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type Rules = ReturnType<Lookup>;

const REMEMBERED = Symbol('mend.rememberedValidationRules');

/**
 * Makes class-validator remember which rules apply to a class.
 *
 * On every `validate()` (one per body, query or path DTO, and one per nested
 * object) class-validator finds the class's rules by walking every class that
 * has any (about 150 here) with an `instanceof` test each, for inherited rules:
 * 20–60 µs of the API thread per validated object. The answer depends only on
 * the class and the lookup's options, and changes only when a rule is added
 * (decorators at class definition, `@nestjs/mapped-types` deriving a DTO): so it
 * is kept per class and options, and everything kept is forgotten whenever a rule
 * is added. The kept arrays are frozen: a caller that tried to change one would
 * throw rather than change what the next request is validated against.
 *
 * Installed once per metadata storage (the process-wide one by default).
 */
export function rememberValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [REMEMBERED]?: true };
  if (marked[REMEMBERED] === true) return;
  marked[REMEMBERED] = true;

  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  let kept = new Map<unknown, Map<string, Rules>>();

  storage.addValidationMetadata = (metadata) => {
    kept = new Map();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // class-validator treats no groups and an empty list alike.
    const key = JSON.stringify([schema ?? null, always, strictGroups, groups ?? []]);
    let byOptions = kept.get(target);
    if (byOptions === undefined) {
      byOptions = new Map();
      kept.set(target, byOptions);
    }
    let rules = byOptions.get(key);
    if (rules === undefined) {
      rules = Object.freeze(lookup(target, schema, always, strictGroups, groups)) as Rules;
      byOptions.set(key, rules);
    }
    return rules;
  };
}
