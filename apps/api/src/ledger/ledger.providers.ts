import type { Provider, Type } from '@nestjs/common';

import { InAppDisclosureNotifier, NotificationCenter } from '@mend/notifications';
import {
  BoundaryEvents,
  DisclosureLog,
  NO_BOUNDARY_EVENT_LISTENER,
  SYSTEM_LEDGER_CLOCK,
  TrustLedger,
  type BoundaryEventListener,
  type LedgerClock,
} from '@mend/repair-plans';

import { BoundaryEventsController } from '../boundary-events/boundary-events.controller.js';
import { DisclosuresController } from '../disclosures/disclosures.controller.js';
import { NotificationsController } from '../notifications/notifications.controller.js';
import { LedgerController } from './ledger.controller.js';

/** The trust ledger, boundary events, disclosure log and notification routes. */
export const LEDGER_CONTROLLERS: readonly Type[] = [
  LedgerController,
  BoundaryEventsController,
  DisclosuresController,
  NotificationsController,
];

/**
 * The listener of recorded boundary events (a library above repair-plans provides
 * it: measures' repeated-breach monitor, see measures.providers.ts); optional, so
 * the ledger works without it.
 */
export const BOUNDARY_EVENT_LISTENER = Symbol('BoundaryEventListener');

/**
 * Composition: the disclosure log (repair-plans) reaches the author through the
 * in-app notifier (notifications, a library above repair-plans) — the port is
 * wired here, so neither library imports the other's services and the
 * notification is written in the disclosure's transaction. `DisclosureLog` is
 * injectable by any controller that shares content (plan visibility, homework).
 */
export function ledgerProviders(clock: LedgerClock = SYSTEM_LEDGER_CLOCK): Provider[] {
  const center = new NotificationCenter();
  return [
    { provide: NotificationCenter, useValue: center },
    { provide: DisclosureLog, useValue: new DisclosureLog(new InAppDisclosureNotifier(center)) },
    { provide: TrustLedger, useValue: new TrustLedger(clock) },
    {
      provide: BoundaryEvents,
      useFactory: (listener: BoundaryEventListener | undefined) =>
        new BoundaryEvents(clock, listener ?? NO_BOUNDARY_EVENT_LISTENER),
      inject: [{ token: BOUNDARY_EVENT_LISTENER, optional: true }],
    },
  ];
}
