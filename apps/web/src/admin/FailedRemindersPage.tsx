/**
 * Failed reminders (clinic admins): reminders whose every delivery attempt
 * failed (ids, channels and an error code only — never content), with who they
 * were for, when, and a retry that puts each back in line under a new job.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, call } from '../api/client';
import { ProblemSummary, Section } from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { memberName, useMembers } from './queries';

const failedKey = ['admin', 'reminders', 'failed'] as const;

const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  assignment_due_soon: 'Homework due tomorrow',
  assignment_due: 'Homework due today',
  assignment_overdue: 'Homework overdue',
  check_in: 'Daily check-in',
  session_tomorrow: 'Session tomorrow',
  measure_due: 'Questionnaire due',
  plan_review: 'Plan review coming up',
  note_unsigned: 'Unsigned notes',
  alert_unacknowledged: 'Safety alert not acknowledged',
  safety_alert: 'Safety alert',
  safety_escalation: 'Safety alert escalation',
};
const CHANNEL_LABELS: Readonly<Record<string, string>> = { in_app: 'in the app', email: 'email', sms: 'text message' };

function RetryButton({
  reminderId,
  label,
  onRetried,
}: {
  readonly reminderId: string;
  readonly label: string;
  readonly onRetried: () => void;
}) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => call(api.POST('/api/v1/reminders/{reminderId}/retry', { params: { path: { reminderId } } })),
    onSuccess: async () => {
      onRetried();
      await client.invalidateQueries({ queryKey: failedKey });
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={mutation.isPending}
        aria-label={`Retry: ${label}`}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Retrying…' : 'Retry'}
      </button>
      <ProblemSummary error={mutation.error} title="The reminder was not retried" />
    </>
  );
}

export function FailedRemindersPage() {
  const failed = useQuery({ queryKey: failedKey, queryFn: () => call(api.GET('/api/v1/reminders/failed')) });
  const members = useMembers();
  const names = new Map((members.data ?? []).map((member) => [member.membershipId, memberName(member)]));
  const [retried, setRetried] = useState(0);
  return (
    <Page title="Failed reminders">
      <Section title="Reminders that could not be delivered">
        <p className="cw-muted">
          A reminder is listed here once every delivery attempt failed (eight, with growing pauses). Retrying puts it
          back in line at once; channels that are not set up (e.g. email without an email server) are skipped.
        </p>
        {retried > 0 && (
          <p role="status" className="notice">
            {retried === 1 ? 'One reminder was' : `${retried} reminders were`} queued again: the worker delivers them
            within a minute.
          </p>
        )}
        <QueryView query={failed} label="Loading failed reminders…">
          {(rows) =>
            rows.length === 0 ? (
              <Empty>No failed reminders.</Empty>
            ) : (
              <div className="cw-table-wrap" role="region" aria-label="Failed reminders" tabIndex={0}>
                <table className="cw-table">
                  <thead>
                    <tr>
                      <th scope="col">Reminder</th>
                      <th scope="col">For</th>
                      <th scope="col">Channels</th>
                      <th scope="col">Due</th>
                      <th scope="col">Failed</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Error</th>
                      <th scope="col">
                        <span className="cw-visually-hidden">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => {
                      const category = CATEGORY_LABELS[row.category] ?? row.category;
                      const who =
                        (row.recipientMembershipId === null ? undefined : names.get(row.recipientMembershipId)) ??
                        'a former member';
                      return (
                        <tr key={row.id}>
                          <td>{category}</td>
                          <td>{who}</td>
                          <td>{row.channels.map((channel) => CHANNEL_LABELS[channel] ?? channel).join(', ')}</td>
                          <td>{formatDateTime(row.fireAt)}</td>
                          <td>{row.failedAt === null ? '—' : formatDateTime(row.failedAt)}</td>
                          <td>{row.attempts}</td>
                          <td>
                            <code>{row.lastError ?? '—'}</code>
                          </td>
                          <td>
                            <RetryButton
                              reminderId={row.id}
                              label={`${category} for ${who}`}
                              onRetried={() => setRetried((count) => count + 1)}
                            />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
