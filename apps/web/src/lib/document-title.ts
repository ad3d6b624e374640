import { useEffect } from 'react';

/**
 * Names the browser tab after the screen, as the server does for a page it serves directly (/g/:slug):
 * after a client-side navigation only the app can keep it right, and screen readers announce it.
 */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
}
