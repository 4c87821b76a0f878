export * from './mfa-enrollment.service.js';
export * from './mfa.factory.js';
export * from './mfa.service.js';
export * from './mfa.store.js';
export * from './recovery-codes.js';
export * from './totp.js';
