import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

const QUESTION = 'Leave this page? What you changed here is not saved.';

/** The guards of forms with unsaved changes now, by their "may leave" flag. */
const unsaved = new Set<{ current: boolean }>();

/**
 * For an action that leaves the page by other means than navigating (Log out ends the session first): asks
 * as a guard would, and lets every guard go when the person agrees. True when nothing is unsaved.
 */
export function confirmLeavingUnsaved(): boolean {
  if ([...unsaved].every((saved) => saved.current)) return true;
  if (!window.confirm(QUESTION)) return false;
  for (const saved of unsaved) saved.current = true;
  return true;
}

/**
 * Asks before a form with unsaved changes is left: by a link or Back within the app (the router's
 * blocker), or by a reload or closing the tab (the browser's own prompt). Returns `allowLeaving`, which a
 * successful save calls before it navigates away.
 */
export function useUnsavedChangesGuard(dirty: boolean): () => void {
  const saved = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !saved.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(QUESTION)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      if (!saved.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    unsaved.add(saved);
    return () => {
      window.removeEventListener('beforeunload', ask);
      unsaved.delete(saved);
    };
  }, [dirty]);
  return () => {
    saved.current = true;
  };
}
