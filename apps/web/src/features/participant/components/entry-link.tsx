import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { Field } from '../../../components/field';
import { ErrorNotice } from '../../../components/states';
import { errorMessage } from '../../../lib/api';
import { useFollowEntryLink, useSendEntryLink } from '../api';

const VERIFY_HASH = /^#verify=([A-Za-z0-9_-]+)$/;

/**
 * The mailed link opens this page with `#verify=<token>`: the token proves the address and makes this browser
 * the entry's. The hash is cleared once used, so a reload or a shared address does not send it again.
 * `confirms`: the giveaway counts an entry only once its address is proven, so the proof is the news.
 */
export function EntryLinkFollower({ slug, confirms }: { slug: string; confirms: boolean }) {
  const follow = useFollowEntryLink(slug);
  const started = useRef(false);

  useEffect(() => {
    const token = VERIFY_HASH.exec(window.location.hash)?.[1];
    if (!token || started.current) return;
    started.current = true;
    follow.mutate(token, {
      onSettled: () =>
        window.history.replaceState(null, '', window.location.pathname + window.location.search),
    });
  }, [follow]);

  if (follow.isPending) {
    return <p aria-live="polite">{confirms ? 'Confirming your email…' : 'Opening your entry…'}</p>;
  }
  if (follow.isError) {
    return (
      <div className="notice notice--danger" role="alert">
        <strong>This link cannot be used.</strong> {errorMessage(follow.error)}
      </div>
    );
  }
  if (follow.isSuccess) {
    return (
      <div className="notice notice--success" aria-live="polite">
        <strong>{confirms ? '✓ Your email is confirmed.' : '✓ You are signed in to your entry.'}</strong> This
        browser now follows it.
      </div>
    );
  }
  return null;
}

/** For a participant on another browser: the entry's link, mailed again to the address that entered. */
export function SendEntryLinkForm({ slug }: { slug: string }) {
  const send = useSendEntryLink(slug);
  const [email, setEmail] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (email.trim()) send.mutate(email.trim());
  }

  return (
    <section className="card stack" aria-labelledby="entry-link-title">
      <h2 id="entry-link-title">Already entered?</h2>
      <p className="muted">
        Joined from another browser or device? Get a link to your entry by email, and open it here.
      </p>
      <form className="form-inline" onSubmit={submit}>
        <Field
          label="Email you entered with"
          type="email"
          name="entry-email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <Button type="submit" variant="secondary" busy={send.isPending}>
          Send me my link
        </Button>
      </form>
      {send.isSuccess && (
        <div className="notice notice--info" aria-live="polite">
          <strong>Check your email.</strong> {send.data.message}
        </div>
      )}
      <ErrorNotice error={send.error} />
    </section>
  );
}
