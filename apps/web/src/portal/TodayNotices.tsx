import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';

import { api, call } from '../api/client';
import { HOLD_MESSAGE_FOR_PARTICIPANTS, type Administration } from '../counselor/clinical-queries';
import { useMyCases } from './portal-data';

/**
 * While a case is on safety hold, both partners see only this neutral message (clinical.md
 * §4.3): no reason, no hint of who it is about or that a screen was positive.
 */
export function HoldNotice() {
  const cases = useMyCases();
  if (!(cases.data ?? []).some((item) => item.sharedSpacePaused === true)) return null;
  return (
    <p className="notice" data-testid="hold-notice">
      {HOLD_MESSAGE_FOR_PARTICIPANTS} Shared activities are paused; your care team will be in touch.
    </p>
  );
}

/** "A questionnaire is waiting for you" on Today, linking to Questionnaires (/portal/measures). */
export function DueMeasuresNotice() {
  const cases = useMyCases();
  const queries = useQueries({
    queries: (cases.data ?? []).map((item) => ({
      queryKey: ['case', item.id, 'my-measures'] as const,
      queryFn: async () => {
        const data = await call(
          api.GET('/api/v1/cases/{caseId}/measure-administrations', { params: { path: { caseId: item.id } } }),
        );
        return (data as unknown as { administrations: Administration[] }).administrations;
      },
    })),
  });
  const due = queries.flatMap((query) => query.data ?? []).filter((item) => item.status === 'due').length;
  if (due === 0) return null;
  return (
    <p className="notice" data-testid="measures-due-notice">
      {due === 1 ? 'A questionnaire is waiting for you.' : `${due} questionnaires are waiting for you.`}{' '}
      <Link to="/portal/measures">Open your questionnaires</Link>
    </p>
  );
}
