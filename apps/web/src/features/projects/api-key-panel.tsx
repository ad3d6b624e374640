import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmButton } from '../../components/confirm-button';
import { DEFAULT_GRACE_HOURS, GraceSelect } from '../../components/grace-select';
import { SecretValue } from '../../components/secret-value';
import { ErrorNotice } from '../../components/states';
import { formatDateTime } from '../../lib/date-time';
import { type ProjectWithWebsites, useRotateKey } from './api';

/** The key is masked until the host asks; rotation keeps the old key working for the grace period chosen. */
export function ApiKeyPanel({ project }: { project: ProjectWithWebsites }) {
  const [revealed, setRevealed] = useState(false);
  const [graceHours, setGraceHours] = useState(DEFAULT_GRACE_HOURS);
  const rotate = useRotateKey(project.id);

  return (
    <section className="card stack" aria-labelledby="api-key-title">
      <h2 id="api-key-title">API key</h2>
      <p className="muted">
        Your website signs each callback with this key. Keep it on your server: anyone who has it can complete
        tasks for anyone.
      </p>
      {project.keyInPage && <KeyInPageWarning projectId={project.id} keyInPage={project.keyInPage} />}
      <SecretValue secret={project.apiKey} revealed={revealed} onRevealedChange={setRevealed} />
      {project.previousKeyExpiresAt && (
        <p className="notice notice--info">
          The previous key keeps verifying until {formatDateTime(project.previousKeyExpiresAt)}.
        </p>
      )}
      <div className="form-inline">
        <GraceSelect label="Old key keeps working for" value={graceHours} onChange={setGraceHours} />
        <ConfirmButton
          variant="primary"
          question="Replace the key now?"
          confirmLabel="Yes, rotate"
          busy={rotate.isPending}
          onConfirm={() => rotate.mutate(graceHours, { onSuccess: () => setRevealed(true) })}
        >
          Rotate
        </ConfirmButton>
      </div>
      {rotate.isSuccess && (
        <output className="notice notice--success">
          New key ready: update your website's setting
          {graceHours > 0 ? ' before the old one stops working.' : ' now; the old one no longer verifies.'}
        </output>
      )}
      <ErrorNotice error={rotate.error} />
    </section>
  );
}

/** Callbacks signed with the key were sent by a page's script: if the page signed them, anyone can read the key. */
function KeyInPageWarning({
  projectId,
  keyInPage,
}: {
  projectId: string;
  keyInPage: NonNullable<ProjectWithWebsites['keyInPage']>;
}) {
  return (
    <div className="notice notice--danger stack" role="note" aria-label="API key in a web page">
      <p>
        <strong>Your API key may be in a web page.</strong> Callbacks signed with it were sent from a script
        on <code className="break">{keyInPage.page}</code>, the latest at{' '}
        <time dateTime={keyInPage.lastAt}>{formatDateTime(keyInPage.lastAt)}</time>. If that page signs them,
        anyone who opens it can read the key and complete tasks for anyone.
      </p>
      <p>
        Sign callbacks on your server instead (<Link to={`/projects/${projectId}/callbacks`}>see how</Link>),
        then rotate the key below, which clears this warning. Otherwise it stays until no such callback has
        counted for 7 days.
      </p>
    </div>
  );
}
