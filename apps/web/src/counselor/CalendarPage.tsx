/**
 * My calendar (/counselor/calendar): your sessions across the open cases of your
 * caseload, day by day in the clinic's timezone (the coming four weeks by
 * default, or the past four), each linking to its case's sessions page where it
 * is rescheduled, marked and attended. Read from each case's session list (the
 * caseload's first page of open cases).
 */
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { useMe } from '../auth/session';
import { Page } from '../ui/Page';
import { Empty, ErrorNotice, Loading, QueryView } from '../ui/Status';
import { clinicalPaths } from './clinical-paths';
import { clinicalKeys, MODALITY_LABELS, SESSION_STATUS_LABELS, type SessionView } from './clinical-queries';
import { Badge, RadioGroup } from './components';
import { useCaseload, type CaseView } from './queries';

type Range = 'coming' | 'past';
const FOUR_WEEKS = 28 * 86_400_000;

function dayOf(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: timezone,
  }).format(new Date(iso));
}

function timeOf(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(
    new Date(iso),
  );
}

function Sessions({ cases, range }: { readonly cases: readonly CaseView[]; readonly range: Range }) {
  const me = useMe();
  const timezone = me.clinicTimezone;
  const queries = useQueries({
    queries: cases.map((caseView) => ({
      queryKey: clinicalKeys.sessions(caseView.id),
      queryFn: () => call(api.GET('/api/v1/cases/{caseId}/sessions', { params: { path: { caseId: caseView.id } } })),
    })),
  });
  if (queries.some((query) => query.isPending)) return <Loading label="Loading your sessions…" />;
  const failed = queries.find((query) => query.error !== null);
  if (failed !== undefined)
    return <ErrorNotice error={failed.error} onRetry={() => queries.forEach((query) => void query.refetch())} />;
  const now = Date.now();
  const rows: { session: SessionView; caseView: CaseView }[] = [];
  queries.forEach((query, index) => {
    const caseView = cases[index];
    if (caseView === undefined) return;
    for (const session of query.data?.sessions ?? []) {
      if (session.counselorMembershipId.toLowerCase() !== me.membershipId.toLowerCase()) continue;
      const starts = Date.parse(session.startsAt);
      const inRange =
        range === 'coming'
          ? Date.parse(session.endsAt) >= now && starts <= now + FOUR_WEEKS
          : Date.parse(session.endsAt) < now && starts >= now - FOUR_WEEKS;
      if (inRange) rows.push({ session, caseView });
    }
  });
  rows.sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt));
  if (range === 'past') rows.reverse();
  if (rows.length === 0)
    return (
      <Empty>
        {range === 'coming' ? 'No session in the coming four weeks.' : 'No session in the past four weeks.'}
      </Empty>
    );
  const days = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = dayOf(row.session.startsAt, timezone);
    days.set(key, [...(days.get(key) ?? []), row]);
  }
  return (
    <ol className="mc-calendar" aria-label={range === 'coming' ? 'Sessions coming up' : 'Past sessions'}>
      {[...days.entries()].map(([day, items]) => (
        <li key={day} className="mc-calendar__day">
          <h2>{day}</h2>
          <ul className="cw-entries">
            {items.map(({ session, caseView }) => (
              <li key={session.id} className="cw-entry" data-testid="calendar-session">
                <p>
                  <strong>
                    {timeOf(session.startsAt, timezone)}–{timeOf(session.endsAt, timezone)}
                  </strong>{' '}
                  <Link to={clinicalPaths.sessions(caseView.id)}>{caseView.title ?? 'Case'}</Link> ·{' '}
                  {session.kind === 'joint'
                    ? 'joint'
                    : `individual with ${
                        caseView.participants.find((p) => p.clientId === session.individualClientId)?.displayName ??
                        'a participant'
                      }`}{' '}
                  · {MODALITY_LABELS[session.modality]}{' '}
                  <Badge
                    tone={session.status === 'scheduled' ? 'info' : session.status === 'completed' ? 'good' : 'warn'}
                  >
                    {SESSION_STATUS_LABELS[session.status]}
                  </Badge>
                </p>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

export function CalendarPage() {
  const me = useMe();
  const caseload = useCaseload({ status: ['intake', 'active', 'on_hold'] });
  const [range, setRange] = useState<Range>('coming');
  return (
    <Page title="My calendar">
      <p className="cw-lede">
        Your sessions across your open cases, in the clinic&apos;s timezone ({me.clinicTimezone}). Open a case&apos;s
        sessions to schedule, move or mark them.
      </p>
      <RadioGroup<Range>
        legend="Show"
        name="calendar-range"
        value={range}
        onChange={setRange}
        options={[
          { value: 'coming', label: 'The coming four weeks' },
          { value: 'past', label: 'The past four weeks' },
        ]}
      />
      <QueryView query={caseload} label="Loading your caseload…">
        {(page) => <Sessions cases={page.items} range={range} />}
      </QueryView>
    </Page>
  );
}
