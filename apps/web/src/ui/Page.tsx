import { useEffect, useRef, type ReactNode } from 'react';

import { useDiscreetMode } from './discreet';

/**
 * One page: sets the tab title (neutral in discreet mode: no clinical words) and
 * moves focus to the page heading on navigation, so screen-reader and keyboard
 * users start at the new content.
 */
export function Page({
  title,
  heading,
  actions,
  children,
}: {
  /** The tab title's page part ("Today"); discreet mode replaces the whole title. */
  readonly title: string;
  /** The visible h1 (defaults to the title). */
  readonly heading?: ReactNode;
  readonly actions?: ReactNode;
  readonly children: ReactNode;
}) {
  const { documentTitle } = useDiscreetMode();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = documentTitle(title);
  }, [documentTitle, title]);
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-heading">
      <header className="page__header">
        <h1 id="page-heading" tabIndex={-1} ref={headingRef}>
          {heading ?? title}
        </h1>
        {actions !== undefined && <div className="page__actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
