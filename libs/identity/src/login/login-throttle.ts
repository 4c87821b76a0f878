import type { LoginThrottle, ThrottleDecision } from '../throttle/login-throttle.js';

export type { LoginThrottle, ThrottleDecision };

/** For tests of other rules and for tools that sign nobody in: never refuses. */
export const NO_LOGIN_THROTTLE: LoginThrottle = {
  check: () => Promise.resolve({ allowed: true }),
  recordFailure: () => Promise.resolve(),
  recordSuccess: () => Promise.resolve(),
};
