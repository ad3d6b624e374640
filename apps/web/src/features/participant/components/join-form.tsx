import type { PublicGiveaway } from '@proofdrop/contract';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../../components/button';
import { Field } from '../../../components/field';
import { ApiError, errorMessage } from '../../../lib/api';
import { useJoin, useSendEntryLink } from '../api';
import { timesNote } from '../task-amount';
import { type ProofOfWork, useProofOfWork } from '../use-proof-of-work';

/** A first check, so a typo gets a plain message at once; the server's check is the one that counts. */
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function ChallengeStatus({ work, retry }: { work: ProofOfWork; retry: () => void }) {
  if (work.state === 'off') return null;
  if (work.state === 'failed') {
    return (
      <div className="notice notice--danger" role="alert">
        The bot check could not run: {work.message}{' '}
        <Button variant="secondary" size="small" onClick={retry}>
          Try again
        </Button>
      </div>
    );
  }
  // Only the change from checking to done is announced, not every progress tick.
  return (
    <p className="muted" aria-live="polite">
      {work.state === 'solved' ? '✓ Bot check done: you can join.' : 'Checking you are not a bot…'}
      {work.state === 'solving' && work.tried > 0 && <span aria-hidden="true"> ({work.tried} tries)</span>}
    </p>
  );
}

/** Where an entry made in another browser is: there, or a link away when the server sends mail. */
function AlreadyEntered({ slug, email, mailsLinks }: { slug: string; email: string; mailsLinks: boolean }) {
  const send = useSendEntryLink(slug);
  if (!mailsLinks) {
    return <p>Your entry is remembered in the browser you joined with: open this page there to follow it.</p>;
  }
  if (send.isSuccess) {
    // The button pressed is gone: the eye and the keyboard go to what it did.
    return (
      <p aria-live="polite" tabIndex={-1} ref={(sent) => sent?.focus()}>
        <strong>Check your email.</strong> Open the link we sent to {email} in this browser to follow your
        entry here.
      </p>
    );
  }
  return (
    <>
      <p>
        Joined in another browser or on another device? Get a link to your entry by email to follow it here.
      </p>
      <Button variant="secondary" size="small" busy={send.isPending} onClick={() => send.mutate(email)}>
        Email me a link to my entry
      </Button>
      {send.isError && <p>{errorMessage(send.error)}</p>}
    </>
  );
}

export function JoinForm({ slug, giveaway }: { slug: string; giveaway: PublicGiveaway }) {
  const { tasks } = giveaway;
  const join = useJoin(slug);
  const { work, renew } = useProofOfWork(slug, giveaway.entryChallenge === 'pow');
  const mailed = join.data && !('token' in join.data) ? join.data : null;
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState(false);
  // Join pressed while the bot check still runs: the join goes as soon as the check is done.
  const [waiting, setWaiting] = useState<string | null>(null);
  const serverSaysInvalid = join.error instanceof ApiError && join.error.code === 'invalid_request';
  const fieldError = invalid ? 'Enter your email address, like name@example.com.' : undefined;

  useEffect(() => {
    if (waiting === null || work.state === 'solving') return;
    setWaiting(null);
    if (work.state === 'failed') return;
    join.mutate(
      { email: waiting, ...(work.state === 'solved' ? { altcha: work.altcha } : {}) },
      // A solution is spent by the join that carries it, whatever the answer.
      { onSettled: renew },
    );
  }, [waiting, work, join.mutate, renew]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    setInvalid(!LOOKS_LIKE_EMAIL.test(address));
    if (LOOKS_LIKE_EMAIL.test(address)) setWaiting(address);
  }

  return (
    <section className="card stack" aria-labelledby="join-title">
      <h2 id="join-title">Join the giveaway</h2>
      <p className="muted">
        Your email is how the host reaches you if you win. It is never shown on this page.
      </p>
      {tasks.length > 0 && (
        <div>
          <p>Then, on the host's site:</p>
          <ul className="task-preview">
            {tasks.map((task) => {
              const times = timesNote(task.name, task.requiredAmount);
              return (
                <li key={task.id}>
                  {task.name}
                  {times && <span className="muted"> ({times})</span>}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <form className="form-inline" onSubmit={submit} noValidate>
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldError}
        />
        <Button type="submit" busy={join.isPending || waiting !== null} disabled={work.state === 'failed'}>
          Join
        </Button>
      </form>
      <ChallengeStatus work={work} retry={renew} />
      {mailed && (
        <div className="notice notice--info" aria-live="polite">
          <strong>Check your email.</strong> {mailed.message}
        </div>
      )}
      {join.isError && !invalid && (
        <div className="notice notice--danger" role="alert">
          {serverSaysInvalid ? 'Enter your email address, like name@example.com.' : errorMessage(join.error)}
          {join.error instanceof ApiError && join.error.code === 'already_entered' && (
            <AlreadyEntered slug={slug} email={email.trim()} mailsLinks={giveaway.mailsEntryLinks} />
          )}
        </div>
      )}
    </section>
  );
}
