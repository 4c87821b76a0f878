import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { ErrorNotice, Loading } from '../ui/Status';
import { isStaff, landingPath, useSession } from './session';

/**
 * Guards a part of the app: signed out → /sign-in (then back here); the wrong
 * kind of account (a client in /counselor, staff in /portal) → their own landing page.
 */
export function RequireSession({
  audience,
  children,
}: {
  readonly audience: 'client' | 'staff';
  readonly children: ReactNode;
}) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={state.retry} />;
  if (state.status === 'signed-out')
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  const staff = isStaff(state.me);
  const fits = audience === 'staff' ? staff : state.me.roles.includes('client');
  if (!fits) return <Navigate to={landingPath(state.me)} replace />;
  return <>{children}</>;
}
