export * from './timeline/case-timeline-entry.js';

export const REPAIR_PLANS_ENTITIES: (new () => object)[] = [];
export * from './timeline/case-timeline.service.js';
