/**
 * @mend/risk-scan — the explainable free-text risk scan (clinical.md §4.3). Pure: no I/O,
 * imports only @mend/contracts. Separate from the I-statement coach on purpose.
 */
export * from './risk-scan.types.js';
export { IDIOM_RULES, RISK_RULES, RISK_RULESET_VERSION } from './risk-rules.js';
export { normaliseForScan, scanForRisk } from './risk-scan.js';
