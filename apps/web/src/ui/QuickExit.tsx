import { useEffect } from 'react';

/** Where quick exit goes: an ordinary, neutral page. */
export const QUICK_EXIT_URL = 'https://www.bbc.com/weather';

/**
 * Leaves at once: blanks the page, drops cached data, and replaces this entry in
 * the history (location.replace), so Back does not return to Mend.
 */
export function quickExit(): void {
  try {
    document.title = 'Weather';
    document.body.replaceChildren();
    sessionStorage.clear();
  } finally {
    window.location.replace(QUICK_EXIT_URL);
  }
}

/**
 * The always-visible quick-exit button, and the Escape key pressed twice quickly
 * (a single Escape closes dialogs and menus as users expect) — also Shift+Escape.
 */
export function QuickExit() {
  useEffect(() => {
    let lastEscape = 0;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const now = Date.now();
      if (event.shiftKey || now - lastEscape < 600) {
        event.preventDefault();
        quickExit();
      }
      lastEscape = now;
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <button
      type="button"
      className="quick-exit"
      onClick={quickExit}
      aria-keyshortcuts="Escape Escape Shift+Escape"
      title="Leave this site now (or press Esc twice)"
    >
      Quick exit
    </button>
  );
}
