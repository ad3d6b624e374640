import { CopyButton } from '../../../components/copy-button';
import { inAppBrowser } from '../in-app-browser';

/** Built-in browsers of social apps often cannot come back from a task's site: say so before it happens. */
export function InAppBrowserNotice() {
  const app = inAppBrowser(navigator.userAgent);
  if (!app) return null;
  return (
    <div className="notice notice--warning stack">
      <p>
        <strong>You are in {app}'s built-in browser.</strong> Coming back here from a task may not work in it,
        and your progress could be hard to follow. Open this page in your usual browser (the ⋯ menu, then
        "Open in browser"), or copy the link.
      </p>
      <CopyButton text={window.location.href} label="Copy link" />
    </div>
  );
}
