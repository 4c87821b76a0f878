import * as rruleModule from 'rrule';

type RRuleLibrary = typeof rruleModule;

/**
 * rrule 2.8 is published as a UMD bundle (`main`, no `exports` map): Node's ESM
 * loader exposes it as a default export only, while the CommonJS loader (jest)
 * exposes its named exports. Either way the library object is the same.
 */
const library: RRuleLibrary =
  (rruleModule as unknown as { RRule?: unknown }).RRule !== undefined
    ? rruleModule
    : (rruleModule as unknown as { default: RRuleLibrary }).default;

export const RRule = library.RRule;
