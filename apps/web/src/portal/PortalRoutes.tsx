import { Link, Route, Routes } from 'react-router';

import { Layout, type NavItem } from '../app/Layout';
import { NotFound } from '../app/NotFound';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { ReminderPreferencesPage } from '../notifications/ReminderPreferencesPage';
import { AgreementsPage } from './AgreementsPage';
import { OccurrencePage } from './exercise/OccurrencePage';
import { LedgerPage } from './LedgerPage';
import { MeasurePage, MeasuresPage } from './MeasuresPage';
import { SecretsPolicyPage } from './SecretsPolicyPage';
import { SharedPage } from './SharedPage';
import { TodayPage } from './TodayPage';

/** The client portal's navigation (the quick exit is always shown here). */
export const PORTAL_NAV: readonly NavItem[] = [
  { to: '/portal', label: 'Today', end: true },
  { to: '/portal/ledger', label: 'Trust ledger' },
  { to: '/portal/shared', label: 'Shared with me' },
  { to: '/portal/agreements', label: 'Agreements' },
  { to: '/portal/privacy', label: 'Privacy agreement' },
  { to: '/portal/measures', label: 'Questionnaires' },
  { to: '/portal/notifications', label: 'Notifications' },
];

/** /portal/* for clients. */
export function PortalRoutes() {
  return (
    <Layout nav={PORTAL_NAV} quickExit homePath="/portal">
      <Routes>
        <Route index element={<TodayPage />} />
        <Route path="exercises/:caseId/:occurrenceId" element={<OccurrencePage />} />
        <Route path="ledger" element={<LedgerPage />} />
        <Route path="shared" element={<SharedPage />} />
        <Route path="agreements" element={<AgreementsPage />} />
        <Route path="privacy" element={<SecretsPolicyPage />} />
        <Route
          path="notifications"
          element={
            <NotificationsPage
              actions={<Link to="/portal/reminders">Reminder settings</Link>}
              linkFor={(item) =>
                item.kind.startsWith('reminder.assignment') ? { to: '/portal', label: 'Open Today' } : undefined
              }
            />
          }
        />
        <Route path="reminders" element={<ReminderPreferencesPage />} />
        <Route path="measures" element={<MeasuresPage />} />
        <Route path="measures/:caseId/:administrationId" element={<MeasurePage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
