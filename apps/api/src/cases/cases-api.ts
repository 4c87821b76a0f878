import type { Provider, Type } from '@nestjs/common';

import { createClientsServices } from '@mend/clients';
import { caseHomeworkSummarySql } from '@mend/homework';
import type { IdentityServices } from '@mend/identity';

import { IDENTITY_SERVICES } from '../auth/identity.tokens.js';
import { ClientsController } from '../clients/clients.controller.js';
import { CasesController } from './cases.controller.js';
import { CLIENTS_SERVICES } from './clients.tokens.js';
import { ParticipantRoleLabelsController } from './participant-role-labels.controller.js';

/** The clients and cases routes (ApiModule mounts them beside the identity routes). */
export const CLIENTS_CONTROLLERS: readonly Type[] = [
  ClientsController,
  CasesController,
  ParticipantRoleLabelsController,
];

/** The phase of a case's repair plan, over the case alias `k` (null before a plan exists). */
export const CASE_PHASE_SQL = 'select p.phase from repair_plans p where p.clinic_id = k.clinic_id and p.case_id = k.id';

export const CLIENTS_PROVIDERS: readonly Provider[] = [
  {
    provide: CLIENTS_SERVICES,
    inject: [IDENTITY_SERVICES],
    useFactory: (identity: IdentityServices) =>
      createClientsServices({
        identity,
        // The plan phase on the caseload and case views (repair_plans: migration 1764374500000), and the
        // homework summary the caseload adds on request (`include=homework`).
        cases: { phaseSql: CASE_PHASE_SQL, homeworkSummarySql: caseHomeworkSummarySql },
      }),
  },
];
