import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** A screen that crashed or failed to load its code: say so, and offer a way on. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : 'The page failed to load. Reloading usually helps, for example after an update.';
  return (
    <main id="main" className="page page--narrow">
      <div className="notice notice--danger" role="alert">
        <h1>Something went wrong</h1>
        <p>{message}</p>
        <p>
          <a href={window.location.href}>Reload this page</a> or go to the <Link to="/">start page</Link>.
        </p>
      </div>
    </main>
  );
}
