import { Link, Navigate } from 'react-router';
import { buttonClass } from '../../components/button';
import { LoadingState } from '../../components/states';
import { useMe } from '../../features/auth/api';

/** A signed-in host goes straight to their projects; everyone else is offered sign up and log in. */
export function LandingPage() {
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (me.data) return <Navigate to="/projects" replace />;
  return (
    <section className="card stack page--narrow" aria-labelledby="landing-title">
      <h1 id="landing-title">Giveaways your website proves</h1>
      <p>
        Participants join by email and do tasks on your website; your server confirms each one with a signed
        callback, and the winners are drawn with a proof anyone can check.
      </p>
      <div className="row">
        <Link className={buttonClass()} to="/signup">
          Sign up
        </Link>
        <Link className={buttonClass('secondary')} to="/login">
          Log in
        </Link>
      </div>
    </section>
  );
}
