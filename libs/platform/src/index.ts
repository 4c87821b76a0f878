/**
 * The composition root shared by the API, the worker, the CLI and tests: the
 * entities of every domain library and the migrations. It sits above every
 * domain library in the dependency order; apps import it, libraries never do.
 */
import { CORE_ENTITIES } from '@mend/core';

export { MIGRATIONS } from '@mend/migrations';

export const ENTITIES = [...CORE_ENTITIES];
