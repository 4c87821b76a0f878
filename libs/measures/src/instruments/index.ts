export * from './measure-definition.js';
export * from './measures.errors.js';
export * from './built-in-measures.js';
export * from './measure-definition.schema.js';
export * from './scoring.js';
export * from './reliable-change.js';
export * from './dyadic.js';
