import { randomBytes } from 'node:crypto';

import { createDataSource, DomainError, UnitOfWork, type MendConfig } from '@mend/core';
import { createIdentityServices, NO_LOGIN_THROTTLE, type IdentityServices } from '@mend/identity';
import { ENTITIES } from '@mend/platform';

/**
 * Runs operator work with the identity services on the runtime role (so row-level
 * security applies to the CLI as to the API). The CLI issues no tokens: without
 * JWT_SECRET a throwaway key is used.
 */
export async function withIdentity<T>(
  config: MendConfig,
  work: (identity: IdentityServices, unitOfWork: UnitOfWork) => Promise<T>,
): Promise<T> {
  const dataSource = await createDataSource({
    url: config.database.url,
    entities: ENTITIES,
    poolSize: 2,
    applicationName: 'mend-cli',
  }).initialize();
  try {
    const unitOfWork = new UnitOfWork({ connected: () => dataSource });
    const identity = createIdentityServices({
      unitOfWork,
      config,
      jwtSecret: config.auth.jwtSecret ?? randomBytes(32),
      // The operator at the console checks no password on behalf of a remote caller.
      throttle: NO_LOGIN_THROTTLE,
    });
    return await work(identity, unitOfWork);
  } catch (error) {
    // The operator reads why (e.g. which password rule failed), not "see errors".
    if (error instanceof DomainError && error.errors !== undefined && error.errors.length > 0) {
      throw Object.assign(
        new Error(`${error.detail.replace(/: see errors$/, '')}: ${error.errors.map((e) => e.message).join('; ')}`),
        {
          code: error.code,
        },
      );
    }
    throw error;
  } finally {
    await dataSource.destroy();
  }
}
