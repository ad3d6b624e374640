import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import '../../styles/dashboard.css';
import { Button } from '../../components/button';
import { ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { ApiError } from '../../lib/api';
import { confirmLeavingUnsaved } from '../../lib/unsaved-changes';
import { useLogout, useMe } from './api';

/** Every dashboard screen: signed-in hosts only, with the host's bar (projects, who, Log out) above. */
export function HostArea() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();

  if (me.isPending) return <LoadingState label="Checking your session…" />;
  if (me.isError) return <ErrorState error={me.error} retry={() => me.refetch()} />;
  if (!me.data) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  }

  return (
    <div className="stack">
      <nav className="host-bar" aria-label="Dashboard">
        <NavLink to="/projects" end>
          Projects
        </NavLink>
        <NavLink to="/account">Account</NavLink>
        <span className="host-bar__who muted">{me.data.email}</span>
        <Button
          variant="secondary"
          size="small"
          busy={logout.isPending}
          onClick={() => {
            if (confirmLeavingUnsaved()) logout.mutate(undefined, { onSuccess: () => navigate('/login') });
          }}
        >
          Log out
        </Button>
      </nav>
      <ErrorNotice error={logout.error} />
      <Outlet />
    </div>
  );
}

export function BackLink({ to, children }: { to: string; children: string }) {
  return (
    <Link className="back-link" to={to}>
      ← {children}
    </Link>
  );
}

/**
 * A dashboard screen that could not load, as a page: its heading, the server's word, and a way back. Not
 * found also says why that may be, since another host's ids answer 404 like ids that never were.
 */
export function HostPageError({ error, retry }: { error: unknown; retry: () => void }) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div className="stack">
      <BackLink to="/projects">Projects</BackLink>
      <h1>{notFound ? 'Not found' : 'This could not be loaded'}</h1>
      <ErrorState
        error={error}
        title={notFound ? 'It may have been deleted, or belong to another account.' : 'The server said:'}
        retry={retry}
      />
    </div>
  );
}
