import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, makes
 * the rest of the page inert and restores focus on close. `dismissible: false`
 * ignores Escape (the session dialog must be answered).
 */
export function Dialog({
  open,
  title,
  onClose,
  dismissible = true,
  children,
}: {
  readonly open: boolean;
  readonly title: string;
  readonly onClose?: () => void;
  readonly dismissible?: boolean;
  readonly children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onCancel={(event) => {
        if (!dismissible) event.preventDefault();
        else onClose?.();
      }}
    >
      <h2 id="dialog-title" className="dialog__title">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
