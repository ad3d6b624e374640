import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../components/button';
import { ConfirmButton } from '../../components/confirm-button';
import { Field } from '../../components/field';
import { ErrorNotice } from '../../components/states';
import { fieldError } from '../../lib/api';
import { useDocumentTitle } from '../../lib/document-title';
import { useChangePassword, useMe, useSignOutEverywhere } from './api';

/** The host's own account: a new password, and a way out on every device after a leak. */
export function AccountPage() {
  const me = useMe();
  useDocumentTitle('Account');
  return (
    <div className="stack">
      <h1>Account</h1>
      <p className="muted">
        Signed in as <strong>{me.data?.email}</strong>
      </p>
      <PasswordForm />
      <SignOutEverywhere />
    </div>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword('');
          setNewPassword('');
        },
      },
    );
  }

  return (
    <section className="card stack" aria-labelledby="password-title">
      <h2 id="password-title">Change the password</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldError(change.error, 'currentPassword', 'Current password')}
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
          minLength={8}
          error={fieldError(change.error, 'newPassword', 'New password')}
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
        />
        <ErrorNotice error={change.error} />
        {change.isSuccess && (
          <output className="notice notice--success">
            Password changed. Every other device signed in to this account is signed out.
          </output>
        )}
        <div>
          <Button type="submit" busy={change.isPending}>
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}

function SignOutEverywhere() {
  const signOut = useSignOutEverywhere();
  const navigate = useNavigate();
  return (
    <section className="card stack" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p className="muted">
        If a device you used is lost, or your password may have leaked, sign out everywhere, then change the
        password.
      </p>
      <div>
        <ConfirmButton
          size="normal"
          question="Sign out on every device, this one included?"
          confirmLabel="Yes, sign out everywhere"
          busy={signOut.isPending}
          onConfirm={() => signOut.mutate(undefined, { onSuccess: () => navigate('/login') })}
        >
          Sign out everywhere
        </ConfirmButton>
      </div>
      <ErrorNotice error={signOut.error} />
    </section>
  );
}
