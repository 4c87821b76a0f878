/**
 * @mend/measures — outcome measures and safety (issue 6): the pure instruments
 * (definitions, scoring, reliable change, dyadic view), their storage and services
 * (catalogue, administrations, change over time), and safety alerts, check-ins,
 * settings and crisis resources. Notifications are a port (`SafetyNotifier`) wired
 * by the apps: @mend/notifications comes after this library.
 */
export * from './instruments/index.js';
export * from './storage/measures.entities.js';
export * from './storage/measure-catalogue.js';
export * from './storage/measure-administrations.js';
export * from './safety/safety.entities.js';
export * from './safety/crisis-resources.js';
export * from './safety/safety-settings.js';
export * from './safety/safety-alerts.js';
export * from './safety/risk-scan-alerts.js';
export * from './safety/client-safety-response.js';
export * from './safety/safety-check-ins.js';
export * from './safety/safety-scan.js';
export * from './safety/boundary-breach-monitor.js';

import { ClinicCrisisResources, ClinicSafetySettings, SafetyAlert, SafetyCheckIn } from './safety/safety.entities.js';
import {
  ClinicMeasure,
  MeasureAdministration,
  MeasureLicenceConfirmation,
  MeasureSchedule,
} from './storage/measures.entities.js';

export const MEASURES_ENTITIES: (new () => object)[] = [
  ClinicMeasure,
  MeasureLicenceConfirmation,
  MeasureSchedule,
  MeasureAdministration,
  SafetyAlert,
  ClinicSafetySettings,
  ClinicCrisisResources,
  SafetyCheckIn,
];
