/**
 * @mend/sessions — therapy sessions (schedule, status, attendance, reschedule
 * history, the counselor's calendar feed), progress notes (templates, signing,
 * amendments, co-signature), psychotherapy notes, and the rotation of the data
 * keys that encrypt them at rest.
 */
export * from './sessions.errors.js';
export * from './sessions/session.types.js';
export * from './sessions/zoned-time.js';
export * from './sessions/session.entities.js';
export * from './sessions/session.service.js';
export * from './sessions/session-timeline.js';
export * from './sessions/calendar-feed.service.js';
export * from './notes/note-templates.js';
export * from './notes/note.entities.js';
export * from './notes/progress-note.service.js';
export * from './notes/psychotherapy-note.service.js';
export * from './crypto/data-key-rotation.js';

import {
  NoteCosignRequirement,
  ProgressNote,
  ProgressNoteAmendment,
  PsychotherapyNote,
} from './notes/note.entities.js';
import {
  CalendarFeed,
  TherapySession,
  TherapySessionAttendance,
  TherapySessionEvent,
} from './sessions/session.entities.js';

export const SESSIONS_ENTITIES: (new () => object)[] = [
  TherapySession,
  TherapySessionEvent,
  TherapySessionAttendance,
  CalendarFeed,
  ProgressNote,
  ProgressNoteAmendment,
  PsychotherapyNote,
  NoteCosignRequirement,
];
