import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorNotice } from '../../components/states';
import { formatDateTime } from '../../lib/date-time';
import { useCreateInvite, useSignupStatus } from './api';

/** Lets a host bring in another host while sign-up is closed: a one-use link, shown once, with its expiry. */
export function InvitePanel() {
  const create = useCreateInvite();
  const status = useSignupStatus(true);
  const invite = create.data;
  return (
    <section className="card stack" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a host</h2>
      <p className="muted">
        {status.data?.inviteRequired === false
          ? 'Sign-up is open on this server, so nobody needs a link today; one made now still works if it closes.'
          : 'New host accounts on this server need an invite link. Each link creates one account.'}
      </p>
      {invite && (
        <div className="stack">
          <div className="key-row">
            <code className="key">{invite.link}</code>
            <CopyButton text={invite.link} label="Copy link" />
          </div>
          <p className="notice notice--info">
            Works once, until {formatDateTime(invite.expiresAt)}. Copy it now: it is not shown again.
          </p>
        </div>
      )}
      <div>
        <Button
          variant={invite ? 'secondary' : 'primary'}
          busy={create.isPending}
          onClick={() => create.mutate()}
        >
          {invite ? 'Create another link' : 'Create invite link'}
        </Button>
      </div>
      <ErrorNotice error={create.error} />
    </section>
  );
}
