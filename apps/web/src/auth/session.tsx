import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';

import { api, call } from '../api/client';
import { ApiError } from '../api/errors';
import { sessionExpiry } from '../api/session-expiry';
import type { Schemas } from '../api/types';

export type Me = Schemas['MeResponse'];
export type Role = Me['roles'][number];

export const STAFF_ROLES: readonly Role[] = ['clinic_admin', 'supervisor', 'counselor'];

export function isStaff(me: Pick<Me, 'roles'>): boolean {
  return me.roles.some((role) => STAFF_ROLES.includes(role));
}

export function isClinicAdmin(me: Pick<Me, 'roles'>): boolean {
  return me.roles.includes('clinic_admin');
}

/**
 * Where a person lands after signing in: clients in the portal; a clinic admin
 * with no clinical role (no caseload) in the administration area; other staff in
 * the counselor workspace (admins who also counsel or supervise reach the
 * administration from its navigation).
 */
export function landingPath(me: Pick<Me, 'roles'>): string {
  if (!isStaff(me)) return '/portal';
  const clinical = me.roles.includes('counselor') || me.roles.includes('supervisor');
  return isClinicAdmin(me) && !clinical ? '/admin' : '/counselor';
}

type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown; readonly retry: () => void }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly me: Me };

interface SessionValue {
  readonly state: SessionState;
  /** Call after a successful sign-in: loads /me. */
  readonly signedIn: () => Promise<Me | undefined>;
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export const ME_KEY = ['me'] as const;

/** The signed-in person (GET /api/v1/me); a 401 means "signed out". */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await call(api.GET('/api/v1/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });

  const signedIn = useCallback(async () => {
    const fresh = await queryClient.fetchQuery({
      queryKey: ME_KEY,
      queryFn: () => call(api.GET('/api/v1/me')),
      staleTime: 0,
    });
    sessionExpiry.markSignedIn();
    return fresh ?? undefined;
  }, [queryClient]);

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/logout', { body: {} });
    } finally {
      sessionExpiry.markSignedOut();
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, null);
    }
  }, [queryClient]);

  const state: SessionState = useMemo(() => {
    if (me.isPending) return { status: 'loading' };
    if (me.data === null || me.data === undefined) {
      if (me.error !== null) return { status: 'error', error: me.error, retry: () => void me.refetch() };
      return { status: 'signed-out' };
    }
    return { status: 'signed-in', me: me.data };
  }, [me]);

  const value = useMemo(() => ({ state, signedIn, signOut }), [state, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in person; only inside routes guarded by RequireSession. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe needs a signed-in session (RequireSession)');
  return state.me;
}
