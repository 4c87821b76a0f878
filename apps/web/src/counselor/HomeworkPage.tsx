/**
 * A case's homework: per participant what is due, overdue and awaiting review,
 * and every assignment (single or paired, visibility, schedule, progress), with
 * the way to assign a new exercise.
 */
import { Link } from 'react-router';

import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { HomeworkOverviewPanel } from './CaseOverviewPage';
import { Badge, Section } from './components';
import { formatDay, formatDateTime, OCCURRENCE_STATUS_LABELS, VISIBILITY_LABELS } from './labels';
import { counselorPaths } from './paths';
import { useAssignments } from './queries';

type Schedule = Schemas['ScheduleDto'];

const WEEKDAY_NAMES: Record<string, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};

export function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === 'once')
    return `Once, due ${formatDay(schedule.dueOn)}${schedule.opensOn ? ` (opens ${formatDay(schedule.opensOn)})` : ''}`;
  const every =
    schedule.frequency === 'weekly'
      ? `${schedule.interval && schedule.interval > 1 ? `Every ${schedule.interval} weeks` : 'Weekly'}${
          schedule.weekdays && schedule.weekdays.length > 0
            ? ` on ${schedule.weekdays.map((day) => WEEKDAY_NAMES[day] ?? day).join(', ')}`
            : ''
        }`
      : schedule.interval && schedule.interval > 1
        ? `Every ${schedule.interval} days`
        : 'Daily';
  const end = schedule.until
    ? ` until ${formatDay(schedule.until)}`
    : schedule.count
      ? `, ${schedule.count} times`
      : '';
  return `${every}${schedule.startsOn ? ` from ${formatDay(schedule.startsOn)}` : ''}${end}`;
}

function AssignmentRow({ assignment }: { readonly assignment: Schemas['AssignmentResponse'] }) {
  const { caseId, clientName } = useCaseContext();
  const who = assignment.recipients
    .map((r) => `${clientName(r.clientId)}${r.part !== null ? ` (${r.part})` : ''}`)
    .join(' & ');
  return (
    <li className="card cw-assignment">
      <h3 className="cw-card__title">
        <Link to={counselorPaths.assignment(caseId, assignment.id)}>{assignment.exercise.title}</Link>
      </h3>
      <p>
        {assignment.paired ? <Badge tone="info">Paired</Badge> : <Badge>Single</Badge>}{' '}
        <Badge>{VISIBILITY_LABELS[assignment.visibility].name}</Badge>{' '}
        <Badge tone={assignment.status === 'overdue' ? 'warn' : assignment.status === 'completed' ? 'good' : 'neutral'}>
          {OCCURRENCE_STATUS_LABELS[assignment.status]}
        </Badge>
      </p>
      <p className="cw-muted">
        {who} · {describeSchedule(assignment.schedule)}
      </p>
      <p className="cw-muted">
        {assignment.counts.completed} of {assignment.counts.total - assignment.counts.cancelled} completed
        {assignment.counts.overdue > 0 ? `, ${assignment.counts.overdue} overdue` : ''} · assigned{' '}
        {formatDateTime(assignment.createdAt)}
      </p>
    </li>
  );
}

export function HomeworkPage() {
  const { caseId, caseView } = useCaseContext();
  const assignments = useAssignments(caseId);
  return (
    <Page
      title={`Homework · ${caseView.title ?? 'Case'}`}
      heading="Homework"
      actions={
        <Link className="button" to={counselorPaths.assign(caseId)}>
          Assign an exercise
        </Link>
      }
    >
      <Section title="Due, overdue and to review">
        <HomeworkOverviewPanel caseId={caseId} />
      </Section>
      <Section title="Assignments">
        <QueryView query={assignments} label="Loading assignments…">
          {(data) =>
            data.assignments.length === 0 ? (
              <Empty>Nothing has been assigned yet.</Empty>
            ) : (
              <ul className="cards cw-assignments">
                {data.assignments.map((assignment) => (
                  <AssignmentRow key={assignment.id} assignment={assignment} />
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
    </Page>
  );
}
