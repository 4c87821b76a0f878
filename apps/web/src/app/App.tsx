import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';

import { AdminRoutes } from '../admin/AdminRoutes';
import { createQueryClient } from '../api/query-client';
import { InvitationPage } from '../auth/InvitationPage';
import { PasswordResetPage } from '../auth/PasswordResetPage';
import { ReauthDialog } from '../auth/ReauthDialog';
import { RequireSession } from '../auth/RequireSession';
import { landingPath, SessionProvider, useSession } from '../auth/session';
import { SignInPage } from '../auth/SignInPage';
import { CounselorRoutes } from '../counselor/CounselorRoutes';
import { PortalRoutes } from '../portal/PortalRoutes';
import { DiscreetProvider } from '../ui/discreet';
import { ErrorNotice, Loading } from '../ui/Status';
import { Layout } from './Layout';
import { NotFound } from './NotFound';

/**
 * Routes (one place):
 *   /                     → the landing page of whoever is signed in, else /sign-in
 *   /sign-in, /invitations/accept?token=, /password-reset?token=   (public)
 *   /portal/*             → the client portal (src/portal/PortalRoutes.tsx), clients only
 *   /counselor/*          → the counselor workspace (src/counselor/CounselorRoutes.tsx), staff only
 *   /admin/*              → the administration area (src/admin/AdminRoutes.tsx), clinic admins only
 */
export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <DiscreetProvider>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route path="/sign-in" element={<PublicPage element={<SignInPage />} />} />
              <Route path="/invitations/accept" element={<PublicPage element={<InvitationPage />} />} />
              <Route path="/password-reset" element={<PublicPage element={<PasswordResetPage />} />} />
              <Route
                path="/portal/*"
                element={
                  <RequireSession audience="client">
                    <PortalRoutes />
                  </RequireSession>
                }
              />
              <Route
                path="/counselor/*"
                element={
                  <RequireSession audience="staff">
                    <CounselorRoutes />
                  </RequireSession>
                }
              />
              <Route
                path="/admin/*"
                element={
                  <RequireSession audience="staff">
                    <AdminRoutes />
                  </RequireSession>
                }
              />
              <Route path="*" element={<PublicPage element={<NotFound />} />} />
            </Routes>
            <ReauthDialog />
          </BrowserRouter>
        </SessionProvider>
      </DiscreetProvider>
    </QueryClientProvider>
  );
}

/** Public pages carry the quick exit too: a client may be interrupted while signing in. */
function PublicPage({ element }: { readonly element: React.ReactNode }) {
  return <Layout quickExit>{element}</Layout>;
}

function Home() {
  const { state } = useSession();
  if (state.status === 'loading')
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  if (state.status === 'error')
    return (
      <Layout>
        <ErrorNotice error={state.error} onRetry={state.retry} />
      </Layout>
    );
  if (state.status === 'signed-out') return <Navigate to="/sign-in" replace />;
  return <Navigate to={landingPath(state.me)} replace />;
}
