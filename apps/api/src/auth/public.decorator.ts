import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'mend:isPublic';

/**
 * Marks a route (or a whole controller) that needs no access token. Every other
 * route requires one: the global guard refuses the request before the handler.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const ACCEPTS_MFA_TOKEN = 'mend:acceptsMfaToken';

/**
 * A route that works either for a signed-in caller (access token, checked as on
 * every route) or, when the body carries an `mfaToken`, for a staff sign-in that
 * has passed the password step only (MFA enrolment). With an `mfaToken` the
 * guard lets the request through unauthenticated and the handler must verify
 * the token itself; without one the route is an ordinary authenticated route.
 */
export const AcceptsMfaToken = (): MethodDecorator => SetMetadata(ACCEPTS_MFA_TOKEN, true);
