/**
 * The composition root shared by the API, the worker, the CLI and tests: the
 * entities of every domain library and the migrations. It sits above every
 * domain library in the dependency order; apps import it, libraries never do.
 */
import { AUDIT_ENTITIES } from '@mend/audit';
import { CLIENTS_ENTITIES } from '@mend/clients';
import { CORE_ENTITIES } from '@mend/core';
import { HOMEWORK_ENTITIES } from '@mend/homework';
import { IDENTITY_ENTITIES } from '@mend/identity';
import { MEASURES_ENTITIES } from '@mend/measures';
import { NOTIFICATIONS_ENTITIES } from '@mend/notifications';
import { REPAIR_PLANS_ENTITIES } from '@mend/repair-plans';
import { REPORTS_ENTITIES } from '@mend/reports';
import { SESSIONS_ENTITIES } from '@mend/sessions';

export { MIGRATIONS } from '@mend/migrations';

export const ENTITIES = [
  ...CORE_ENTITIES,
  ...AUDIT_ENTITIES,
  ...IDENTITY_ENTITIES,
  ...CLIENTS_ENTITIES,
  ...REPAIR_PLANS_ENTITIES,
  ...NOTIFICATIONS_ENTITIES,
  ...HOMEWORK_ENTITIES,
  ...SESSIONS_ENTITIES,
  ...MEASURES_ENTITIES,
  ...REPORTS_ENTITIES,
];
