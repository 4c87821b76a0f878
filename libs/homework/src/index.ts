export * from './exercises/index.js';

import { EXERCISE_ENTITIES } from './exercises/library/exercise.entities.js';

export const HOMEWORK_ENTITIES = [...EXERCISE_ENTITIES];
