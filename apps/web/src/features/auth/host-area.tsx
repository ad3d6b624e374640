import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import '../../styles/dashboard.css';
import { Button } from '../../components/button';
import { ErrorNotice, ErrorState, LoadingState } from '../../components/states';
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
          onClick={() => logout.mutate(undefined, { onSuccess: () => navigate('/login') })}
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
