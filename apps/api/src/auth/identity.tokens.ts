/** Nest injection tokens of the identity wiring (apps/api). */
export const IDENTITY_SERVICES = Symbol('IDENTITY_SERVICES');
export const AUTH_COOKIES = Symbol('AUTH_COOKIES');
