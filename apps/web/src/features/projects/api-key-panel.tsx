import { useState } from 'react';
import { ConfirmButton } from '../../components/confirm-button';
import { DEFAULT_GRACE_HOURS, GraceSelect } from '../../components/grace-select';
import { SecretValue } from '../../components/secret-value';
import { ErrorNotice } from '../../components/states';
import { type Project, useRotateKey } from './api';

/** The key is masked until the host asks; rotation keeps the old key working for the grace period chosen. */
export function ApiKeyPanel({ project }: { project: Project }) {
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
      <SecretValue secret={project.apiKey} revealed={revealed} onRevealedChange={setRevealed} />
      {project.previousKeyExpiresAt && (
        <p className="notice notice--info">
          The previous key keeps verifying until {new Date(project.previousKeyExpiresAt).toLocaleString()}.
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
