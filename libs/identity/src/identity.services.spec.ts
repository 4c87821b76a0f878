import { randomBytes } from 'node:crypto';

import type { UnitOfWork } from '@mend/core';

import { createIdentityServices, type IdentityOptions } from './identity.services.js';
import { NO_LOGIN_THROTTLE } from './login/login-throttle.js';

function options(nodeEnv: 'production' | 'development' | 'test'): IdentityOptions {
  return {
    unitOfWork: {} as UnitOfWork,
    config: {
      nodeEnv,
      isDemo: false,
      publicUrl: 'https://mend.example',
      auth: { jwtSecret: undefined, accessTokenTtlSeconds: 600, passwordHashProfile: 'test' },
    },
    jwtSecret: randomBytes(32),
  };
}

describe('createIdentityServices (fails closed without a login throttle)', () => {
  it.each(['production', 'development'] as const)('refuses to wire %s without a throttle', (nodeEnv) => {
    expect(() => createIdentityServices(options(nodeEnv))).toThrow(/needs a login throttle/);
  });

  it('wires with an explicit throttle, and tests may leave it out', () => {
    expect(() => createIdentityServices({ ...options('production'), throttle: NO_LOGIN_THROTTLE })).not.toThrow();
    expect(() => createIdentityServices(options('test'))).not.toThrow();
  });
});
