import '../counselor/counselor.css';

import { Navigate, Route, Routes } from 'react-router';

import { Layout, type NavItem } from '../app/Layout';
import { NotFound } from '../app/NotFound';
import { isClinicAdmin, landingPath, useMe } from '../auth/session';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { useNotificationsLabel } from '../notifications/queries';
import { ReportPage } from '../reports/ReportPage';
import { ReportsPage } from '../reports/ReportsPage';
import { AuditPage } from './AuditPage';
import { FailedRemindersPage } from './FailedRemindersPage';
import { MemberPage } from './MemberPage';
import { SettingsPage } from './SettingsPage';
import { UsersPage } from './UsersPage';

/**
 * The administration area, mounted at /admin/* for staff (src/app/App.tsx) and
 * open to clinic admins only (other staff are sent to their landing page):
 *   /admin                         users and invitations
 *   /admin/users/:membershipId     one member: roles, status, supervision, reset link
 *   /admin/settings                clinic, second factor, reminders, safety escalation, crisis resources
 *   /admin/audit                   the audit trail with filters (?action=&outcome=&actorUserId=&clientId=&…)
 *   /admin/reminders/failed        reminders that failed every attempt, with a retry
 *   /admin/reports, /:reportId     clinic reports
 *   /admin/notifications           the notification centre
 * A clinic admin without a clinical role lands here; one who also counsels or
 * supervises lands in /counselor and reaches this area from its navigation.
 */
export function AdminRoutes() {
  const me = useMe();
  const notifications = useNotificationsLabel();
  if (!isClinicAdmin(me)) return <Navigate to={landingPath(me)} replace />;
  const clinical = me.roles.includes('counselor') || me.roles.includes('supervisor');
  const nav: NavItem[] = [
    { to: '/admin', label: 'Users', end: true },
    { to: '/admin/settings', label: 'Clinic settings' },
    { to: '/admin/audit', label: 'Audit trail' },
    { to: '/admin/reminders/failed', label: 'Failed reminders' },
    { to: '/admin/reports', label: 'Clinic reports' },
    { to: '/admin/notifications', label: notifications },
    ...(clinical ? [{ to: '/counselor', label: 'Counselor workspace' }] : []),
  ];
  return (
    <Layout homePath="/admin" nav={nav}>
      <Routes>
        <Route index element={<UsersPage />} />
        <Route path="users/:membershipId" element={<MemberPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="reminders/failed" element={<FailedRemindersPage />} />
        <Route
          path="reports"
          element={
            <ReportsPage
              base="/admin/reports"
              title="Clinic reports"
              choices={[{ kind: 'clinic', audiences: ['clinic'] }]}
            />
          }
        />
        <Route path="reports/:reportId" element={<ReportPage base="/admin/reports" />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
