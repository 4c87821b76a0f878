/**
 * Names for the generated OpenAPI types (src/api/generated, built by
 * scripts/generate-api.mjs): never write an API shape by hand, alias it here.
 */
import type { components, operations, paths } from './generated/schema';

export type { components, operations, paths };
export type Schemas = components['schemas'];
