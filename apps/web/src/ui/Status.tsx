import type { ReactNode } from 'react';

import { describeError } from '../api/errors';

/** A busy indicator announced to screen readers; never a blank screen. */
export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <div className="status status--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** An error with what to do next (retry), announced as an alert. */
export function ErrorNotice({
  error,
  title = 'This could not be loaded',
  onRetry,
}: {
  readonly error: unknown;
  readonly title?: string;
  readonly onRetry?: () => void;
}) {
  return (
    <div className="status status--error" role="alert">
      <p className="status__title">{title}</p>
      <p>{describeError(error)}</p>
      {onRetry !== undefined && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { readonly children: ReactNode }) {
  return <p className="status status--empty">{children}</p>;
}

/** Renders a TanStack query's three states: loading, error (with retry), data. */
export function QueryView<T>({
  query,
  label,
  children,
}: {
  readonly query: {
    readonly data: T | undefined;
    readonly error: unknown;
    readonly isPending: boolean;
    readonly refetch: () => unknown;
  };
  readonly label?: string;
  readonly children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={label} />;
  if (query.error !== null && query.error !== undefined && query.data === undefined)
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === undefined) return <Loading label={label} />;
  return <>{children(query.data)}</>;
}
