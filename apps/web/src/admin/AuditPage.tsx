/**
 * The audit trail (clinic admins): who did what to which record, when and from
 * where, newest first, with filters (action or action prefix, outcome, who,
 * a client, a record type or id, a date range) kept in the address so a view
 * can be shared; "Older events" pages back. Metadata is ids and codes only.
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { fieldErrorsOf, ProblemSummary, Section, SelectInput, TextInput } from '../counselor/components';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import {
  memberName,
  useAuditEvents,
  useClientDirectory,
  useMembers,
  type AuditEvent,
  type AuditFilters,
} from './queries';

const FILTER_KEYS = ['action', 'outcome', 'actorUserId', 'clientId', 'targetType', 'targetId', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type FormState = Record<FilterKey, string>;

const OUTCOME_LABELS: Record<AuditEvent['outcome'], string> = {
  success: 'Success',
  denied: 'Denied',
  failure: 'Failure',
};

/** Plain words for the actions an admin looks for most; other codes are shown as they are. */
const ACTION_LABELS: Record<string, string> = {
  'client.read': 'opened a client’s record',
  'client.list': 'listed clients',
  'client.update': 'changed a client’s record',
  'case.read': 'opened a case',
  'auth.login': 'signed in',
  'auth.logout': 'signed out',
  'authz.denied': 'was refused access',
  'membership.invite': 'invited someone',
  'report.download': 'downloaded a report',
};

function dayStartIso(day: string): string | undefined {
  return day === '' ? undefined : new Date(`${day}T00:00:00`).toISOString();
}

function dayEndIso(day: string): string | undefined {
  if (day === '') return undefined;
  const end = new Date(`${day}T00:00:00`);
  end.setDate(end.getDate() + 1);
  return end.toISOString();
}

function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}

function metadataText(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .map(([key, value]) => {
      const text =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value);
      return `${key}: ${text}`;
    })
    .join(' · ');
}

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const members = useMembers();
  const clients = useClientDirectory();
  const applied = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as FormState;
  const [form, setForm] = useState<FormState>(applied);
  const before = params.get('before') ?? undefined;
  const filters: AuditFilters = {
    action: applied.action || undefined,
    outcome: (applied.outcome || undefined) as AuditFilters['outcome'],
    actorUserId: applied.actorUserId || undefined,
    targetType: applied.clientId !== '' ? 'client' : applied.targetType || undefined,
    targetId: applied.clientId !== '' ? applied.clientId : applied.targetId || undefined,
    from: dayStartIso(applied.from),
    to: dayEndIso(applied.to),
    before,
  };
  const events = useAuditEvents(filters);
  const errors = fieldErrorsOf(events.error);

  const set = (key: FilterKey) => (value: string) => setForm((current) => ({ ...current, [key]: value }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) if (form[key].trim() !== '') next.set(key, form[key].trim());
    setParams(next);
  };
  const clear = () => {
    setForm(Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])) as FormState);
    setParams(new URLSearchParams());
  };

  const memberByUser = new Map((members.data ?? []).map((member) => [member.userId, member]));
  const memberByMembership = new Map((members.data ?? []).map((member) => [member.membershipId, member]));
  const clientById = new Map((clients.data?.items ?? []).map((client) => [client.id, client]));
  const who = (event: AuditEvent) => {
    const member =
      (event.actorMembershipId !== null ? memberByMembership.get(event.actorMembershipId) : undefined) ??
      (event.actorUserId !== null ? memberByUser.get(event.actorUserId) : undefined);
    if (member !== undefined) return memberName(member);
    return event.actorUserId === null ? 'Operator or anonymous' : 'Another user';
  };
  const target = (event: AuditEvent) => {
    if (event.targetType === null) return '—';
    const id = event.targetId ?? '';
    if (event.targetType === 'client' && clientById.has(id)) return `Client ${clientById.get(id)?.displayName ?? ''}`;
    if (event.targetType === 'membership' && memberByMembership.has(id)) {
      const member = memberByMembership.get(id);
      return `Member ${member !== undefined ? memberName(member) : ''}`;
    }
    return `${event.targetType}${id !== '' ? ` ${id.slice(0, 8)}` : ''}`;
  };
  const staffOptions = (members.data ?? []).map((member) => ({ value: member.userId, label: memberName(member) }));

  return (
    <Page title="Audit trail">
      <p className="cw-lede">
        Every audited action in the clinic, newest first. Rows cannot be changed or removed; they hold ids and codes,
        never clinical text.
      </p>
      <Section title="Filters">
        <form className="form cw-filters" role="search" aria-label="Filter the audit trail" onSubmit={apply}>
          <TextInput
            label="Action"
            hint="An exact code (client.read) or a prefix with * (auth.*)."
            value={form.action}
            error={errors.action}
            onChange={set('action')}
          />
          <SelectInput<string>
            label="Outcome"
            value={form.outcome}
            onChange={set('outcome')}
            options={[
              { value: '', label: 'Any outcome' },
              ...(Object.keys(OUTCOME_LABELS) as AuditEvent['outcome'][]).map((value) => ({
                value,
                label: OUTCOME_LABELS[value],
              })),
            ]}
          />
          <SelectInput<string>
            label="Who"
            value={form.actorUserId}
            onChange={set('actorUserId')}
            options={[{ value: '', label: 'Anyone' }, ...staffOptions]}
          />
          <SelectInput<string>
            label="About the client"
            value={form.clientId}
            onChange={set('clientId')}
            options={[
              { value: '', label: 'Any record' },
              ...(clients.data?.items ?? []).map((client) => ({ value: client.id, label: client.displayName })),
            ]}
          />
          <TextInput
            label="Record type"
            hint="e.g. case, membership, report (ignored when a client is chosen)."
            value={form.targetType}
            error={errors.targetType}
            onChange={set('targetType')}
          />
          <TextInput label="Record id" value={form.targetId} error={errors.targetId} onChange={set('targetId')} />
          <TextInput label="From (day)" type="date" value={form.from} error={errors.from} onChange={set('from')} />
          <TextInput label="Until (day, included)" type="date" value={form.to} error={errors.to} onChange={set('to')} />
          <div className="form-actions">
            <button type="submit" className="button">
              Show events
            </button>
            <button type="button" className="button button--secondary" onClick={clear}>
              Clear the filters
            </button>
          </div>
        </form>
      </Section>
      <Section title="Events">
        {events.isPending ? (
          <Loading label="Loading the audit trail…" />
        ) : events.data === undefined ? (
          Object.keys(errors).length > 0 ? (
            <ProblemSummary error={events.error} title="These filters are not valid" />
          ) : (
            <ErrorNotice error={events.error} onRetry={() => void events.refetch()} />
          )
        ) : events.data.items.length === 0 ? (
          <Empty>No event matches these filters.</Empty>
        ) : (
          <>
            {events.isFetching && <Loading label="Updating…" />}
            <div className="cw-table-wrap" role="region" aria-label="Audit events" tabIndex={0}>
              <table className="cw-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Record</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.items.map((event) => (
                    <tr key={event.id}>
                      <td>{formatWhen(event.occurredAt)}</td>
                      <td>{who(event)}</td>
                      <td>
                        {ACTION_LABELS[event.action] ?? event.action}
                        <br />
                        <code className="cw-muted">{event.action}</code>
                        {Object.keys(event.metadata).length > 0 && (
                          <>
                            <br />
                            <span className="cw-muted">{metadataText(event.metadata)}</span>
                          </>
                        )}
                      </td>
                      <td>{target(event)}</td>
                      <td>{OUTCOME_LABELS[event.outcome]}</td>
                      <td>
                        {event.ip ?? '—'}
                        {event.correlationId !== null && (
                          <>
                            <br />
                            <span className="cw-muted">ref {event.correlationId.slice(0, 12)}</span>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <p className="cw-pager">
          {before !== undefined && (
            <Link
              to={{
                search: new URLSearchParams([...params.entries()].filter(([key]) => key !== 'before')).toString(),
              }}
            >
              Newest events
            </Link>
          )}{' '}
          {events.data?.nextBefore !== null && events.data?.nextBefore !== undefined && (
            <Link
              to={{
                search: new URLSearchParams([
                  ...[...params.entries()].filter(([key]) => key !== 'before'),
                  ['before', events.data.nextBefore],
                ]).toString(),
              }}
            >
              Older events
            </Link>
          )}
        </p>
      </Section>
    </Page>
  );
}
