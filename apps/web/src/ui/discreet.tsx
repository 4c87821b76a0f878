import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * Discreet mode: a neutral tab title ("Notes") and favicon, so a glance at the
 * browser or its history shows nothing about counselling. The preference (not a
 * secret) is kept in localStorage on this device; tokens never are.
 */
const STORAGE_KEY = 'mend.discreet';
export const NEUTRAL_TITLE = 'Notes';

interface DiscreetMode {
  readonly discreet: boolean;
  readonly setDiscreet: (value: boolean) => void;
  readonly documentTitle: (page: string) => string;
}

const DiscreetContext = createContext<DiscreetMode | undefined>(undefined);

export function readDiscreetPreference(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Applied before React renders (main.tsx) and on every change. */
export function applyDiscreetChrome(discreet: boolean): void {
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (icon !== null) icon.href = discreet ? '/favicon-neutral.svg' : '/favicon.svg';
  if (discreet) document.title = NEUTRAL_TITLE;
}

export function DiscreetProvider({ children }: { readonly children: ReactNode }) {
  const [discreet, setDiscreetState] = useState(readDiscreetPreference);
  useEffect(() => applyDiscreetChrome(discreet), [discreet]);
  const setDiscreet = useCallback((value: boolean) => {
    try {
      if (value) localStorage.setItem(STORAGE_KEY, 'on');
      else localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Private browsing without storage: the mode holds for this page only.
    }
    setDiscreetState(value);
  }, []);
  const documentTitle = useCallback((page: string) => (discreet ? NEUTRAL_TITLE : `${page} · Mend`), [discreet]);
  const value = useMemo(() => ({ discreet, setDiscreet, documentTitle }), [discreet, setDiscreet, documentTitle]);
  return <DiscreetContext.Provider value={value}>{children}</DiscreetContext.Provider>;
}

export function useDiscreetMode(): DiscreetMode {
  const value = useContext(DiscreetContext);
  if (value === undefined) throw new Error('useDiscreetMode outside DiscreetProvider');
  return value;
}
