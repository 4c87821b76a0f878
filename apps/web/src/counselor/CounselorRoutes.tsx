import './counselor.css';
import './clinical.css';

import { Route, Routes } from 'react-router';

import { Layout } from '../app/Layout';
import { NotFound } from '../app/NotFound';
import { isClinicAdmin, useMe } from '../auth/session';
import { ClientRecordPage } from '../clients/ClientRecordPage';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { useNotificationsLabel } from '../notifications/queries';
import { CounselorReportsRoutes } from '../reports/CounselorReportsRoutes';
import { AlertsPage } from './AlertsPage';
import { AssignmentPage } from './AssignmentPage';
import { AssignPage } from './AssignPage';
import { BoundaryEventsPage } from './BoundaryEventsPage';
import { CalendarPage } from './CalendarPage';
import { CaseLayout } from './CaseLayout';
import { CaseloadPage } from './CaseloadPage';
import { CaseOverviewPage } from './CaseOverviewPage';
import { DisclosuresPage } from './DisclosuresPage';
import { HomeworkPage } from './HomeworkPage';
import { LedgerPage } from './LedgerPage';
import { CaseMeasuresPage } from './MeasuresPage';
import { NoteEditorPage } from './NoteEditorPage';
import { NoteQueuePage } from './NoteQueuePage';
import { NotesPage } from './NotesPage';
import { PlanEditPage } from './PlanEditor';
import { PlanHistoryPage } from './PlanHistoryPage';
import { PlanPage } from './PlanPage';
import { PrivateNotesPage } from './PrivateNotesPage';
import { ReadinessPage } from './ReadinessPage';
import { ReviewPage } from './ReviewPage';
import { SafetyPage } from './SafetyPage';
import { SessionsPage } from './SessionsPage';
import { TimelinePage } from './TimelinePage';

/**
 * The counselor workspace, mounted at /counselor/* for staff (src/app/App.tsx):
 *   /counselor                                   the caseload
 *   /counselor/cases/:caseId                     a case: overview (phase, homework, ledger, policy)
 *     /plan, /plan/edit, /plan/history           the repair plan, editing it, revisions and diff
 *     /homework, /homework/assign                assignments; assigning from the library
 *     /homework/assignments/:assignmentId        one assignment and its occurrences
 *     /homework/occurrences/:occurrenceId        reviewing a submission (feedback, release approval)
 *     /ledger, /boundaries, /readiness, /timeline, /disclosures
 *   /counselor/reports, /counselor/reports/:reportId   request and follow reports (src/reports)
 *   /counselor/notifications                     the notification centre (src/notifications)
 *   /counselor/clients/:clientId                 a client's record and reminder preferences (src/clients)
 *     /sessions, /notes, /notes/:noteId, /private-notes, /measures, /safety   (clinical pages)
 *   /counselor/calendar                          your sessions across your open cases
 *   /counselor/alerts                            the safety alerts inbox
 *   /counselor/notes                             unsigned notes and the co-sign queue
 */
export function CounselorRoutes() {
  const me = useMe();
  const notificationsLabel = useNotificationsLabel();
  const nav = [
    { to: '/counselor', label: 'Caseload', end: true },
    { to: '/counselor/calendar', label: 'My calendar' },
    { to: '/counselor/alerts', label: 'Safety alerts' },
    { to: '/counselor/notes', label: 'Notes to finish' },
    { to: '/counselor/reports', label: 'Reports' },
    { to: '/counselor/notifications', label: notificationsLabel },
    ...(isClinicAdmin(me) ? [{ to: '/admin', label: 'Administration' }] : []),
  ];
  return (
    <Layout homePath="/counselor" nav={nav}>
      <Routes>
        <Route index element={<CaseloadPage />} />
        <Route path="calendar" element={<CalendarPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="notes" element={<NoteQueuePage />} />
        <Route path="cases/:caseId" element={<CaseLayout />}>
          <Route index element={<CaseOverviewPage />} />
          <Route path="plan" element={<PlanPage />} />
          <Route path="plan/edit" element={<PlanEditPage />} />
          <Route path="plan/history" element={<PlanHistoryPage />} />
          <Route path="homework" element={<HomeworkPage />} />
          <Route path="homework/assign" element={<AssignPage />} />
          <Route path="homework/assignments/:assignmentId" element={<AssignmentPage />} />
          <Route path="homework/occurrences/:occurrenceId" element={<ReviewPage />} />
          <Route path="ledger" element={<LedgerPage />} />
          <Route path="boundaries" element={<BoundaryEventsPage />} />
          <Route path="readiness" element={<ReadinessPage />} />
          <Route path="timeline" element={<TimelinePage />} />
          <Route path="disclosures" element={<DisclosuresPage />} />
          <Route path="sessions" element={<SessionsPage />} />
          <Route path="notes" element={<NotesPage />} />
          <Route path="notes/:noteId" element={<NoteEditorPage />} />
          <Route path="private-notes" element={<PrivateNotesPage />} />
          <Route path="measures" element={<CaseMeasuresPage />} />
          <Route path="safety" element={<SafetyPage />} />
        </Route>
        <Route path="reports/*" element={<CounselorReportsRoutes />} />
        <Route path="clients/:clientId" element={<ClientRecordPage />} />
        <Route
          path="notifications"
          element={
            <NotificationsPage
              linkFor={(item) =>
                item.caseId !== null ? { to: `/counselor/cases/${item.caseId}`, label: 'Open the case' } : undefined
              }
            />
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
