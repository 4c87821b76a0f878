/**
 * What happens when the login session ends under the user's feet (idle expiry,
 * revoked elsewhere): the API client refreshes once; if that fails, requests wait
 * here while a sign-in dialog covers the page (ReauthDialog). The page underneath
 * stays mounted, so typed text is not lost; after signing in again the waiting
 * requests are retried. Signing out (or giving up) rejects them.
 */
type Listener = () => void;

export interface ExpiryState {
  /** The dialog is open: a signed-in session expired and could not be refreshed. */
  readonly expired: boolean;
  /** A session was established in this page (a 401 before that just means "not signed in"). */
  readonly hadSession: boolean;
}

let state: ExpiryState = { expired: false, hadSession: false };
const listeners = new Set<Listener>();
let waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

function set(next: ExpiryState): void {
  state = next;
  for (const listener of listeners) listener();
}

export const sessionExpiry = {
  subscribe: (listener: Listener): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: (): ExpiryState => {
    return state;
  },
  /** A request proved the session works. */
  markSignedIn: (): void => {
    if (!state.hadSession || state.expired) set({ expired: false, hadSession: true });
  },
  /** Signed out on purpose: nothing to restore. */
  markSignedOut: (): void => {
    const pending = waiters;
    waiters = [];
    for (const waiter of pending) waiter.reject(new Error('Signed out'));
    set({ expired: false, hadSession: false });
  },
  /** Opens the dialog (once) and resolves when the user signed in again. */
  waitForSignIn: (): Promise<void> => {
    if (!state.expired) set({ ...state, expired: true });
    return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  },
  /** The user signed in again in the dialog: retry what waited. */
  restored: (): void => {
    const pending = waiters;
    waiters = [];
    set({ expired: false, hadSession: true });
    for (const waiter of pending) waiter.resolve();
  },
};
