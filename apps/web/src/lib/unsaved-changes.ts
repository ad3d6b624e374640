import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

const QUESTION = 'Leave this page? What you changed here is not saved.';

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
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);
  return () => {
    saved.current = true;
  };
}
