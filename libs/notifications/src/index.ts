export * from './notification.entity.js';
export * from './notification-center.js';
export * from './disclosure-notifier.js';

import { Notification } from './notification.entity.js';

export const NOTIFICATIONS_ENTITIES: (new () => object)[] = [Notification];
