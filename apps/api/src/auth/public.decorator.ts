import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'mend:isPublic';

/**
 * Marks a route (or a whole controller) that needs no access token. Every other
 * route requires one: the global guard refuses the request before the handler.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
