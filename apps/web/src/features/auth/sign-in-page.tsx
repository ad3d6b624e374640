import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { Field } from '../../components/field';
import { errorMessage } from '../../lib/api';
import { useMe, useSignIn } from './api';

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

  if (me.data) return <Navigate to={next} replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) });
  }

  return (
    <section className="card stack page--narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{copy.title}</h1>
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
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
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {signIn.isError && (
          <p className="notice notice--danger" role="alert">
            {errorMessage(signIn.error)}
          </p>
        )}
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
