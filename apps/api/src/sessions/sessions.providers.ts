import type { Provider, Type } from '@nestjs/common';

import { FieldEncryption } from '@mend/core';
import {
  CalendarFeedService,
  ProgressNoteService,
  PsychotherapyNoteService,
  SessionService,
  SYSTEM_SESSIONS_CLOCK,
  type SessionsClock,
} from '@mend/sessions';

import { FIELD_ENCRYPTION_PROVIDER } from '../crypto/field-encryption.provider.js';
import { NotesController } from '../notes/notes.controller.js';
import { PsychotherapyNotesController } from '../notes/psychotherapy-notes.controller.js';
import { CalendarFeedController } from './calendar-feed.controller.js';
import { SessionsController } from './sessions.controller.js';

/** Sessions, the calendar feed, progress notes and psychotherapy notes. */
export const SESSIONS_CONTROLLERS: readonly Type[] = [
  SessionsController,
  CalendarFeedController,
  NotesController,
  PsychotherapyNotesController,
];

/**
 * The services; FieldEncryption is the API's one shared provider
 * (crypto/field-encryption.provider.ts): the api module must provide it once —
 * `sessionsProviders` includes it unless another part already does.
 */
export function sessionsProviders(
  clock: SessionsClock = SYSTEM_SESSIONS_CLOCK,
  withFieldEncryption = true,
): Provider[] {
  return [
    ...(withFieldEncryption ? [FIELD_ENCRYPTION_PROVIDER] : []),
    { provide: SessionService, useValue: new SessionService(clock) },
    { provide: CalendarFeedService, useValue: new CalendarFeedService() },
    {
      provide: ProgressNoteService,
      useFactory: (encryption: FieldEncryption) => new ProgressNoteService(encryption, clock),
      inject: [FieldEncryption],
    },
    {
      provide: PsychotherapyNoteService,
      useFactory: (encryption: FieldEncryption) => new PsychotherapyNoteService(encryption, clock),
      inject: [FieldEncryption],
    },
  ];
}
