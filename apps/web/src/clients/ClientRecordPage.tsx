/**
 * A client's record for the staff who may see it (/counselor/clients/:clientId:
 * the care team, their supervisors, clinic admins): contact details, timezone,
 * portal access and how reminders reach them, with their reminder preferences
 * per kind. Opening it is audited (`client.read`): the admin's audit trail
 * shows who opened whose record.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';
import { Badge, Facts, Section } from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { Page } from '../ui/Page';
import { ErrorNotice, Loading, QueryView } from '../ui/Status';

type Category = Schemas['CategoryPreferenceDto']['category'];

const CATEGORY_LABELS: Record<Category, string> = {
  assignment_due_soon: 'Homework due tomorrow',
  assignment_due: 'Homework due today',
  assignment_overdue: 'Homework overdue',
  check_in: 'Daily check-in',
  session_tomorrow: 'Session tomorrow',
  measure_due: 'Questionnaire due',
  plan_review: 'Plan review coming up',
};

const CHANNEL_LABELS: Record<string, string> = { in_app: 'In the app', email: 'Email', sms: 'Text message' };

function ReminderPreferences({ clientId }: { readonly clientId: string }) {
  const preferences = useQuery({
    queryKey: ['reminder-preferences', clientId],
    queryFn: () => call(api.GET('/api/v1/clients/{clientId}/reminder-preferences', { params: { path: { clientId } } })),
  });
  return (
    <QueryView query={preferences} label="Loading reminder preferences…">
      {(data) => (
        <>
          <p>
            Quiet hours:{' '}
            {data.quietHours === null
              ? "the clinic's"
              : `${data.quietHours.start} to ${data.quietHours.end} (their own)`}
            .
          </p>
          <div className="cw-table-wrap" role="region" aria-label="Reminder preferences" tabIndex={0}>
            <table className="cw-table">
              <thead>
                <tr>
                  <th scope="col">Kind of reminder</th>
                  <th scope="col">Sent</th>
                  <th scope="col">How</th>
                  <th scope="col">At</th>
                </tr>
              </thead>
              <tbody>
                {data.preferences.map((item) => (
                  <tr key={item.category}>
                    <th scope="row">{CATEGORY_LABELS[item.category]}</th>
                    <td>{item.optedOut === true ? 'No (opted out)' : 'Yes'}</td>
                    <td>{item.channel != null ? CHANNEL_LABELS[item.channel] : 'As usual'}</td>
                    <td>{item.localTime ?? 'Usual time'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </QueryView>
  );
}

export function ClientRecordPage() {
  const { clientId = '' } = useParams();
  const record = useQuery({
    queryKey: ['client', clientId],
    queryFn: () => call(api.GET('/api/v1/clients/{clientId}', { params: { path: { clientId } } })),
  });
  if (record.isPending)
    return (
      <Page title="Client">
        <Loading label="Loading the client’s record…" />
      </Page>
    );
  if (record.data === undefined)
    return (
      <Page title="Client">
        <ErrorNotice error={record.error} onRetry={() => void record.refetch()} />
        <p>
          <Link to="/counselor">Back to the caseload</Link>
        </p>
      </Page>
    );
  const client = record.data;
  return (
    <Page title={client.displayName}>
      <p className="cw-breadcrumb">
        <Link to="/counselor">Caseload</Link>
      </p>
      <p>
        {client.status === 'active' ? <Badge tone="good">Active</Badge> : <Badge tone="warn">Archived</Badge>}{' '}
        {client.hasPortalAccess ? (
          <Badge>Portal account</Badge>
        ) : client.invitationPending ? (
          <Badge>Portal invitation open</Badge>
        ) : (
          <Badge>No portal account</Badge>
        )}
      </p>
      <Section title="Contact">
        <Facts
          items={[
            ['Email', client.email ?? 'Not given'],
            ['Phone', client.phone ?? 'Not given'],
            ['Timezone', client.timezone],
            ['Client since', formatDateTime(client.createdAt)],
          ]}
        />
      </Section>
      <Section title="Reminders">
        <Facts
          items={[
            ['Channel', CHANNEL_LABELS[client.reminderChannel] ?? client.reminderChannel],
            ['Usual time', client.reminderTime ?? "The clinic's default"],
            ['Discreet wording', client.discreetNotifications ? 'Yes: “You have a new message”' : 'No'],
          ]}
        />
        <ReminderPreferences clientId={client.id} />
      </Section>
    </Page>
  );
}
