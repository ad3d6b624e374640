import { Link } from 'react-router';
import { buttonClass } from '../../components/button';

export function LandingPage() {
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
