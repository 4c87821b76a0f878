import { Link } from 'react-router';

import { useMe } from '../auth/session';
import { daysBetween, formatDay, formatInstant, todayIn } from '../ui/format';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useMyCases, useMyTimezone, useToday, type MyOccurrence } from './portal-data';
import { DueMeasuresNotice, HoldNotice } from './TodayNotices';

/**
 * Today: what is open for the client, split into overdue, due today and coming
 * up, judged by calendar days in the client's own timezone.
 */
export function TodayPage() {
  const me = useMe();
  const timezone = useMyTimezone();
  const today = useToday();
  const localToday = todayIn(timezone);
  return (
    <Page title="Today" heading={`Hello${me.displayName ? `, ${me.displayName.split(' ')[0]}` : ''}`}>
      <p className="muted">
        Today is {formatDay(localToday)} ({timezone}).
      </p>
      <HoldNotice />
      <DueMeasuresNotice />
      <UnsignedPolicies />
      <QueryView query={today} label="Loading your exercises…">
        {(occurrences) => {
          if (occurrences.length === 0) return <Empty>Nothing is due. Well done — enjoy your day.</Empty>;
          const overdue = occurrences.filter((item) => item.status === 'overdue' || item.dueOn < localToday);
          const dueToday = occurrences.filter((item) => !overdue.includes(item) && item.dueOn === localToday);
          const later = occurrences.filter((item) => !overdue.includes(item) && !dueToday.includes(item));
          return (
            <>
              <OccurrenceList title="Overdue" items={overdue} localToday={localToday} timezone={timezone} />
              <OccurrenceList title="Due today" items={dueToday} localToday={localToday} timezone={timezone} />
              <OccurrenceList title="Coming up" items={later} localToday={localToday} timezone={timezone} />
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}

function OccurrenceList({
  title,
  items,
  localToday,
  timezone,
}: {
  readonly title: string;
  readonly items: readonly MyOccurrence[];
  readonly localToday: string;
  readonly timezone: string;
}) {
  if (items.length === 0) return null;
  const id = `list-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="stack">
      <h2 id={id}>{title}</h2>
      <ul className="cards">
        {items.map((item) => (
          <li key={item.id} className="card occurrence-card" data-testid="occurrence">
            <h3 className="occurrence-card__title">
              <Link to={`/portal/exercises/${item.caseId}/${item.id}`}>{item.exercise.title}</Link>
            </h3>
            <p className="occurrence-card__due">{dueText(item.dueOn, localToday)}</p>
            {item.draftSavedAt !== null && (
              <p className="muted">Draft saved {formatInstant(item.draftSavedAt, timezone)}</p>
            )}
            {item.part !== null && <p className="muted">Your part: {item.part}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function dueText(dueOn: string, localToday: string): string {
  const days = daysBetween(localToday, dueOn);
  if (days === 0) return 'Due today';
  if (days === 1) return 'Due tomorrow';
  if (days > 1) return `Due ${formatDay(dueOn)}`;
  if (days === -1) return 'Was due yesterday';
  return `Was due ${formatDay(dueOn)} (${-days} days ago)`;
}

/** A reminder to sign the case's privacy agreement (individual work waits for every partner's signature). */
function UnsignedPolicies() {
  const cases = useMyCases();
  const unsigned = (cases.data ?? []).filter(
    (item) =>
      item.secretsPolicy?.version !== null &&
      item.secretsPolicy?.version !== undefined &&
      item.participants.some(
        (participant) => participant.clientId === item.yourClientId && participant.signedCurrentPolicy === false,
      ),
  );
  if (unsigned.length === 0) return null;
  return (
    <p className="notice notice--warn">
      Please read and sign your privacy agreement:{' '}
      <Link to={`/portal/privacy?case=${unsigned[0]?.id ?? ''}`}>open the agreement</Link>.
    </p>
  );
}
