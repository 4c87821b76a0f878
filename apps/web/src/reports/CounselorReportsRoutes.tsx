import { Route, Routes } from 'react-router';

import { useMe } from '../auth/session';
import { ReportPage } from './ReportPage';
import { ReportsPage, type ReportChoice } from './ReportsPage';

/** The reports a staff member may request in the workspace, by role (README "Progress reports"). */
export function reportChoicesFor(roles: readonly string[]): ReportChoice[] {
  const choices: ReportChoice[] = [];
  if (roles.includes('counselor') || roles.includes('supervisor'))
    choices.push({ kind: 'case', audiences: ['care_team'] });
  if (roles.includes('counselor')) {
    choices.push({ kind: 'client_summary', audiences: ['couple', 'partner'] });
    choices.push({ kind: 'caseload', audiences: ['counselor'] });
  }
  if (roles.includes('supervisor')) choices.push({ kind: 'clinic', audiences: ['supervisor'] });
  return choices;
}

/** /counselor/reports/* : request and follow reports; /counselor/reports/:reportId one report. */
export function CounselorReportsRoutes() {
  const me = useMe();
  return (
    <Routes>
      <Route index element={<ReportsPage base="/counselor/reports" choices={reportChoicesFor(me.roles)} />} />
      <Route path=":reportId" element={<ReportPage base="/counselor/reports" />} />
    </Routes>
  );
}
