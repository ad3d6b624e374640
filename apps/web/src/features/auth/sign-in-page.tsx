import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { Field } from '../../components/field';
import { ErrorNotice, LoadingState } from '../../components/states';
import { fieldError } from '../../lib/api';
import { useMe, useSignIn, useSignupStatus } from './api';

const FIELD_LABELS: Record<string, string> = { email: 'Email', password: 'Password' };

const COPY = {
  signup: {
    title: 'Create your host account',
    action: 'Sign up',
    other: { text: 'Already have an account?', link: 'Log in', to: '/login' },
  },
  login: {
    title: 'Log in to your dashboard',
    action: 'Log in',
    other: { text: 'New to Proofdrop?', link: 'Sign up', to: '/signup' },
  },
} as const;

/** Only paths of this site: a `next` pointing elsewhere would make the login page an open redirect. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/projects';
}

export function SignInPage({ kind }: { kind: 'signup' | 'login' }) {
  const copy = COPY[kind];
  const me = useMe();
  const signIn = useSignIn(kind);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));
  const invite = kind === 'signup' ? params.get('invite') : null;
  // Asked only where it matters; if it cannot be read, the form stays and the server's answer decides.
  const status = useSignupStatus(kind === 'signup' && invite === null);

  if (me.data) return <Navigate to={next} replace />;
  if (kind === 'signup' && invite === null) {
    if (status.isPending) return <LoadingState label="Checking whether sign-up is open…" />;
    if (status.data?.inviteRequired) return <InviteOnly />;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate(invite === null ? { email, password } : { email, password, invite }, {
      onSuccess: () => navigate(next, { replace: true }),
    });
  }

  return (
    <section className="card stack page--narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{copy.title}</h1>
      {invite !== null && (
        <p className="notice notice--info">You were invited: this link creates one account.</p>
      )}
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          error={fieldError(signIn.error, 'email', 'Email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete={kind === 'signup' ? 'new-password' : 'current-password'}
          hint={kind === 'signup' ? 'At least 8 characters.' : undefined}
          required
          minLength={8}
          error={fieldError(signIn.error, 'password', 'Password')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorNotice error={signIn.error} labelOf={(field) => FIELD_LABELS[field]} />
        <div>
          <Button type="submit" busy={signIn.isPending}>
            {copy.action}
          </Button>
        </div>
      </form>
      <p className="muted">
        {copy.other.text} <Link to={copy.other.to}>{copy.other.link}</Link>
      </p>
    </section>
  );
}

/** Closed sign-up without an invite: said before anyone fills in a form the server would refuse. */
function InviteOnly() {
  return (
    <section className="card stack page--narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign-up is by invitation</h1>
      <p>
        This server takes new host accounts only through an invite link. Ask someone who already hosts here to
        create one in their dashboard (Projects, Invite a host), then open the link they send you.
      </p>
      <p className="muted">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
