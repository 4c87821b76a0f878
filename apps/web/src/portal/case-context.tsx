import { useSearchParams } from 'react-router';

import { SelectInput } from '../ui/fields';
import { Empty, ErrorNotice, Loading } from '../ui/Status';
import { useMyCases, type CaseView } from './portal-data';

export interface ChosenCase {
  readonly cases: readonly CaseView[] | undefined;
  readonly current: CaseView | undefined;
  readonly query: ReturnType<typeof useMyCases>;
  readonly choose: (caseId: string) => void;
}

/** The case a portal page shows: `?case=<id>`, else the client's first (usually only) case. */
export function useChosenCase(): ChosenCase {
  const query = useMyCases();
  const [params, setParams] = useSearchParams();
  const cases = query.data;
  const wanted = params.get('case');
  const current = cases?.find((item) => item.id === wanted) ?? cases?.[0];
  return {
    cases,
    current,
    query,
    choose: (caseId) => setParams({ case: caseId }, { replace: true }),
  };
}

export function caseTitle(caseView: CaseView): string {
  return caseView.title ?? caseView.participants.map((participant) => participant.displayName).join(' & ');
}

/** A participant's name as the case shows it (clients see their partner's display name). */
export function participantName(caseView: CaseView, clientId: string): string {
  return caseView.participants.find((participant) => participant.clientId === clientId)?.displayName ?? 'Your partner';
}

/** Loading / error / no case states, and a chooser when the client has several cases. */
export function CasePicker({ chosen }: { readonly chosen: ChosenCase }) {
  if (chosen.query.isPending) return <Loading label="Loading your cases…" />;
  if (chosen.cases === undefined)
    return <ErrorNotice error={chosen.query.error} onRetry={() => void chosen.query.refetch()} />;
  if (chosen.cases.length === 0) return <Empty>You are not part of a case yet.</Empty>;
  if (chosen.cases.length === 1) return null;
  return (
    <SelectInput
      label="Case"
      value={chosen.current?.id ?? ''}
      onChange={chosen.choose}
      options={chosen.cases.map((item) => ({ value: item.id, label: caseTitle(item) }))}
    />
  );
}
