/**
 * The in-app notification centre (every member) and a client's reminder
 * preferences. Keys ['notifications', …], ['reminder-preferences', clientId].
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'list', unreadOnly] as const,
  unread: ['notifications', 'unread-count'] as const,
  reminderPreferences: (clientId: string) => ['reminder-preferences', clientId] as const,
  clinicReminders: ['clinic', 'reminder-settings'] as const,
};

/** The unread count for the navigation, refreshed every half minute while the app is open. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => call(api.GET('/api/v1/notifications/unread-count')),
    refetchInterval: 30_000,
  });
}

/** "Notifications" with the unread count, for a navigation link. */
export function useNotificationsLabel(): string {
  const unread = useUnreadCount().data?.unread ?? 0;
  return unread > 0 ? `Notifications (${unread} unread)` : 'Notifications';
}

export function useNotifications(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/notifications', {
          params: {
            query: {
              limit: 20,
              ...(unreadOnly && { unreadOnly }),
              ...(pageParam !== undefined && { before: pageParam }),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useReminderPreferences(clientId: string | undefined) {
  return useQuery({
    queryKey: notificationKeys.reminderPreferences(clientId ?? ''),
    queryFn: () =>
      call(
        api.GET('/api/v1/clients/{clientId}/reminder-preferences', { params: { path: { clientId: clientId ?? '' } } }),
      ),
    enabled: clientId !== undefined,
  });
}

export function useClinicReminderDefaults() {
  return useQuery({
    queryKey: notificationKeys.clinicReminders,
    queryFn: () => call(api.GET('/api/v1/clinic/reminder-settings')),
  });
}
