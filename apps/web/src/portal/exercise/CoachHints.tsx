import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';

import { api, call } from '../../api/client';
import type { CoachMode } from './schema';

const DEBOUNCE_MS = 700;

/**
 * I-statement coach (clinical.md §6): suggestions shown privately to the writer
 * while typing, for exercises whose coach mode allows it. Never blocks anything,
 * never reaches the partner; the text goes to POST /coach/hints and is not stored.
 */
export function CoachHints({ mode, text }: { readonly mode: CoachMode; readonly text: string }) {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const enabled = mode !== 'off' && settled.trim().length >= 3;
  const hints = useQuery({
    queryKey: ['coach', mode, settled],
    queryFn: () => call(api.POST('/api/v1/coach/hints', { body: { mode, text: settled } })),
    enabled,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const id = useId();
  if (mode === 'off') return null;
  const items = enabled ? (hints.data?.hints ?? []) : [];
  return (
    <div aria-live="polite" aria-atomic="true" className="coach-region">
      {items.length > 0 && (
        <aside className="coach" aria-labelledby={id} data-testid="coach-hints">
          <p id={id} className="coach__title">
            A suggestion for you (only you can see this)
          </p>
          <ul>
            {items.map((hint) => (
              <li key={`${hint.ruleId}-${hint.span.start}`}>
                <strong>{hint.familyName}</strong> — “{hint.span.text}”: {hint.why}
                <br />
                <span className="muted">Try: {hint.scaffold}</span>
              </li>
            ))}
          </ul>
          {(hints.data?.withheld ?? 0) > 0 && (
            <p className="muted">
              {hints.data?.withheld} more suggestion{hints.data?.withheld === 1 ? '' : 's'} held back to keep this
              short.
            </p>
          )}
        </aside>
      )}
    </div>
  );
}
