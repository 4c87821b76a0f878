export * from './notification.entity.js';
export * from './notification-center.js';
export * from './disclosure-notifier.js';
export * from './reminders/index.js';

import { Notification } from './notification.entity.js';
import { REMINDER_ENTITIES } from './reminders/reminder.entities.js';

export const NOTIFICATIONS_ENTITIES: (new () => object)[] = [Notification, ...REMINDER_ENTITIES];
