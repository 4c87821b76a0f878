/**
 * @mend/measures — outcome measures and safety (issue 6). So far the pure
 * instruments: definitions, scoring, reliable change, dyadic view.
 */
export * from './instruments/index.js';

export const MEASURES_ENTITIES: (new () => object)[] = [];
