export * from './exercises/index.js';
export * from './assignments/assignment.entities.js';
export * from './assignments/assignment.service.js';
export * from './assignments/homework.errors.js';
export * from './assignments/homework-overview.js';
export * from './assignments/homework-timeline.js';
export * from './assignments/homework-visibility.js';
export * from './assignments/my-homework.js';
export * from './assignments/overdue.js';
export * from './assignments/schedule.js';
export * from './submissions/submission.entities.js';
export * from './submissions/submission.service.js';

import { Assignment, AssignmentOccurrence, AssignmentStatusChange } from './assignments/assignment.entities.js';
import { EXERCISE_ENTITIES } from './exercises/library/exercise.entities.js';
import { Submission, SubmissionFeedback } from './submissions/submission.entities.js';

export const HOMEWORK_ENTITIES = [
  ...EXERCISE_ENTITIES,
  Assignment,
  AssignmentOccurrence,
  AssignmentStatusChange,
  Submission,
  SubmissionFeedback,
];
