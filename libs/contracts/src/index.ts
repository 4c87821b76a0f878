/**
 * Plain types shared by the server and the web app. Imports nothing
 * framework-specific.
 */
export type { ProblemDocument, FieldProblem } from './problem.js';
export * from './health.js';
export * from './identity.js';
export * from './cases.js';
