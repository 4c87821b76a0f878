/**
 * The notification centre (clients and staff): newest first, unread marked,
 * "Mark as read" one by one or all at once, only unread on request, older ones
 * page by page. Titles are content-free by design (no case or exercise names).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Badge, Checkbox, ProblemSummary } from '../counselor/components';
import { formatInstant } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import { notificationKeys, useNotifications } from './queries';

type Notification = Schemas['NotificationResponse'];

function MarkRead({ notification }: { readonly notification: Notification }) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/notifications/{notificationId}/read', {
          params: { path: { notificationId: notification.id } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={mutation.isPending}
        aria-label={`Mark as read: ${notification.title}`}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Marking…' : 'Mark as read'}
      </button>
      <ProblemSummary error={mutation.error} title="It was not marked as read" />
    </>
  );
}

export function NotificationsPage({
  linkFor,
  actions,
}: {
  /** Where a notification leads in this part of the app (a case, the Today page), if anywhere. */
  readonly linkFor?: (notification: Notification) => { readonly to: string; readonly label: string } | undefined;
  readonly actions?: ReactNode;
}) {
  const client = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const readAll = useMutation({
    mutationFn: () => call(api.POST('/api/v1/notifications/read-all')),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page title="Notifications" actions={actions}>
      <div className="cw-filters">
        <Checkbox label="Only unread" checked={unreadOnly} onChange={setUnreadOnly} />
        <button
          type="button"
          className="button button--secondary"
          disabled={readAll.isPending}
          onClick={() => readAll.mutate()}
        >
          {readAll.isPending ? 'Marking…' : 'Mark all as read'}
        </button>
      </div>
      <ProblemSummary error={readAll.error} title="They were not marked as read" />
      {list.isPending ? (
        <Loading label="Loading notifications…" />
      ) : list.data === undefined ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{unreadOnly ? 'Nothing unread.' : 'No notifications yet.'}</Empty>
      ) : (
        <ul className="cw-entries" aria-label="Notifications">
          {items.map((notification) => {
            const link = linkFor?.(notification);
            return (
              <li key={notification.id} className="cw-entry" data-testid="notification">
                <p>
                  <strong>{notification.title}</strong>{' '}
                  {notification.readAt === null ? <Badge tone="info">Unread</Badge> : null}
                </p>
                <p className="cw-muted">{formatInstant(notification.createdAt)}</p>
                <p>
                  {link !== undefined && (
                    <>
                      <Link to={link.to}>{link.label}</Link>{' '}
                    </>
                  )}
                  {notification.readAt === null && <MarkRead notification={notification} />}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {list.hasNextPage && (
        <p className="cw-pager">
          <button
            type="button"
            className="button button--secondary"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Show older notifications'}
          </button>
        </p>
      )}
    </Page>
  );
}
