import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { Logger } from 'pino';

import { CoreModule, type MendConfig } from '@mend/core';
import { ENTITIES } from '@mend/platform';

import { IdentityApiModule, type IdentityApiOptions } from './auth/identity-api.module.js';
import { CLIENTS_CONTROLLERS, CLIENTS_PROVIDERS } from './cases/cases-api.js';
import { CoachController } from './coach/coach.controller.js';
import { FIELD_ENCRYPTION_PROVIDER } from './crypto/field-encryption.provider.js';
import { ExercisesController } from './exercises/exercises.controller.js';
import { HealthController } from './health/health.controller.js';
import { HomeworkOverviewController } from './homework/homework-overview.controller.js';
import { HomeworkController } from './homework/homework.controller.js';
import { homeworkProviders } from './homework/homework.providers.js';
import { LEDGER_CONTROLLERS, ledgerProviders } from './ledger/ledger.providers.js';
import { CaseMeasuresController, MeasuresController } from './measures/measures.controller.js';
import { measuresProviders } from './measures/measures.providers.js';
import { RemindersController } from './reminders/reminders.controller.js';
import { ReadinessController } from './repair-plans/readiness.controller.js';
import { RepairPlansController } from './repair-plans/repair-plans.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { REPORTS_PROVIDERS } from './reports/reports.providers.js';
import {
  CaseSafetyAlertsController,
  SafetyAlertsController,
  SafetyCheckInsController,
  SafetySettingsController,
} from './safety/safety.controller.js';
import { SESSIONS_CONTROLLERS, sessionsProviders } from './sessions/sessions.providers.js';
import { CaseTimelineController } from './timeline/case-timeline.controller.js';

export interface ApiModuleOptions {
  readonly config: MendConfig;
  readonly logger: Logger;
  /** Tests mount extra controllers (e.g. to probe validation and body parsing). */
  readonly extraControllers?: readonly Type[];
  /** Tests replace the clock, the login throttle or the second factor. */
  readonly identity?: IdentityApiOptions;
}

@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot({
          config: options.config,
          logger: options.logger,
          entities: ENTITIES,
          applicationName: 'mend-api',
        }),
        IdentityApiModule.forRoot(options.identity),
      ],
      controllers: [
        HealthController,
        ...CLIENTS_CONTROLLERS,
        CaseTimelineController,
        ...LEDGER_CONTROLLERS,
        RepairPlansController,
        ReadinessController,
        CoachController,
        ExercisesController,
        HomeworkController,
        HomeworkOverviewController,
        MeasuresController,
        CaseMeasuresController,
        CaseSafetyAlertsController,
        SafetyAlertsController,
        SafetyCheckInsController,
        SafetySettingsController,
        ...SESSIONS_CONTROLLERS,
        ReportsController,
        RemindersController,
        ...(options.extraControllers ?? []),
      ],
      providers: [
        ...ledgerProviders(options.identity?.clock),
        ...CLIENTS_PROVIDERS,
        FIELD_ENCRYPTION_PROVIDER,
        ...sessionsProviders(options.identity?.clock, false),
        ...homeworkProviders(options.identity?.clock),
        ...measuresProviders(options.identity?.clock),
        ...REPORTS_PROVIDERS,
      ],
    };
  }
}
