import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';

import { useSession } from '../auth/session';
import { useDiscreetMode } from '../ui/discreet';
import { QuickExit } from '../ui/QuickExit';

export interface NavItem {
  readonly to: string;
  readonly label: string;
  /** Match only this exact path (for an index route). */
  readonly end?: boolean;
}

/**
 * The frame of every page: a skip link, a banner with the app name (neutral in
 * discreet mode), the section's navigation, the main landmark and, where clients
 * are, the always-visible quick exit.
 */
export function Layout({
  nav,
  quickExit = false,
  homePath = '/',
  children,
}: {
  readonly nav?: readonly NavItem[];
  readonly quickExit?: boolean;
  readonly homePath?: string;
  readonly children: ReactNode;
}) {
  const { state, signOut } = useSession();
  const { discreet, setDiscreet } = useDiscreetMode();
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {quickExit && <QuickExit />}
      <header className="banner">
        <div className="banner__inner">
          <Link to={homePath} className="brand">
            {discreet ? 'Notes' : 'Mend'}
          </Link>
          {nav !== undefined && nav.length > 0 && (
            <nav aria-label="Main" className="nav">
              <ul>
                {nav.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.end}>
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {state.status === 'signed-in' && (
            <div className="banner__account">
              <label className="toggle">
                <input type="checkbox" checked={discreet} onChange={(event) => setDiscreet(event.target.checked)} />
                <span>Discreet mode</span>
              </label>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => void signOut().then(() => window.location.assign('/sign-in'))}
              >
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
