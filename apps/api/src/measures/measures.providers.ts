import type { Provider } from '@nestjs/common';

import { FieldEncryption } from '@mend/core';
import {
  BoundaryBreachMonitor,
  MeasureAdministrations,
  MeasureCatalogue,
  SafetyAlerts,
  SafetyCheckInReoffer,
  SafetyCheckIns,
  SafetySettingsService,
  SYSTEM_SAFETY_CLOCK,
  type SafetyClock,
} from '@mend/measures';

import { BOUNDARY_EVENT_LISTENER } from '../ledger/ledger.providers.js';
import { PLAN_PHASE_LISTENER } from '../repair-plans/plan-phase-listener.js';

/**
 * Measures and safety services (issue 6); tests may pass a fake clock. Needs the FieldEncryption provider;
 * provides the boundary-event listener the ledger's BoundaryEvents takes (ledger.providers.ts) and the
 * phase listener of the repair plan (a phase change re-offers the safety check-in).
 */
export function measuresProviders(clock: SafetyClock = SYSTEM_SAFETY_CLOCK): Provider[] {
  const settings = new SafetySettingsService();
  const catalogue = new MeasureCatalogue();
  return [
    { provide: SafetySettingsService, useValue: settings },
    { provide: MeasureCatalogue, useValue: catalogue },
    {
      provide: SafetyAlerts,
      useFactory: (encryption: FieldEncryption) => new SafetyAlerts(encryption, settings, clock),
      inject: [FieldEncryption],
    },
    {
      provide: MeasureAdministrations,
      useFactory: (alerts: SafetyAlerts) => new MeasureAdministrations(catalogue, alerts, settings, clock),
      inject: [SafetyAlerts],
    },
    {
      // Repeated boundary breaches raise a tier-3 alert, in the transaction that records the event.
      provide: BOUNDARY_EVENT_LISTENER,
      useFactory: (alerts: SafetyAlerts) => new BoundaryBreachMonitor(alerts, settings, clock),
      inject: [SafetyAlerts],
    },
    {
      provide: SafetyCheckIns,
      useFactory: (encryption: FieldEncryption, alerts: SafetyAlerts) =>
        new SafetyCheckIns(encryption, settings, alerts, clock),
      inject: [FieldEncryption, SafetyAlerts],
    },
    {
      provide: PLAN_PHASE_LISTENER,
      useFactory: (checkIns: SafetyCheckIns) => new SafetyCheckInReoffer(checkIns),
      inject: [SafetyCheckIns],
    },
  ];
}
