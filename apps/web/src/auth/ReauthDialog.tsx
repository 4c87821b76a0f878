import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';

import { api, call } from '../api/client';
import { sessionExpiry } from '../api/session-expiry';
import { Dialog } from '../ui/Dialog';
import { quickExit } from '../ui/QuickExit';
import { ME_KEY, type Me } from './session';
import { SignInFlow } from './SignInFlow';

/**
 * Shown over the page when the login session expired and could not be refreshed.
 * The page underneath stays as it was (typed text included); requests that failed
 * wait and are retried after signing in. Another person signing in here starts
 * over on a fresh page, so nobody sees the previous person's screen.
 */
export function ReauthDialog() {
  const state = useSyncExternalStore(sessionExpiry.subscribe, sessionExpiry.snapshot);
  const queryClient = useQueryClient();
  const previous = queryClient.getQueryData<Me | null>(ME_KEY);
  return (
    <Dialog open={state.expired} title="Please sign in again" dismissible={false}>
      <p>
        Your session ended, so Mend needs you to sign in again. Nothing you typed is lost: it is still on the page
        behind this box.
      </p>
      <SignInFlow
        initialEmail={previous?.email ?? ''}
        submitLabel="Sign in and continue"
        onSignedIn={async () => {
          const me = await call(api.GET('/api/v1/me'));
          if (previous !== null && previous !== undefined && me.userId !== previous.userId) {
            window.location.assign('/');
            return;
          }
          queryClient.setQueryData(ME_KEY, me);
          sessionExpiry.restored();
        }}
      />
      <p>
        <button type="button" className="button button--link" onClick={quickExit}>
          Leave this site now (quick exit)
        </button>
      </p>
    </Dialog>
  );
}
