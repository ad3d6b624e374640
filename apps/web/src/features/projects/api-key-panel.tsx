import { useId, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmButton } from '../../components/confirm-button';
import { CopyButton } from '../../components/copy-button';
import { errorMessage } from '../../lib/api';
import { type Project, useRotateKey } from './api';

const GRACE_CHOICES = [
  { hours: 0, label: 'Stop it at once (it leaked)' },
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '24 hours' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
];

export function maskKey(key: string): string {
  return `${'•'.repeat(12)}${key.slice(-4)}`;
}

/** The key is masked until the host asks; rotation keeps the old key working for the grace period chosen. */
export function ApiKeyPanel({ project }: { project: Project }) {
  const [revealed, setRevealed] = useState(false);
  const [graceHours, setGraceHours] = useState(24);
  const rotate = useRotateKey(project.id);
  const keyId = useId();
  const graceId = useId();

  return (
    <section className="card stack" aria-labelledby="api-key-title">
      <h2 id="api-key-title">API key</h2>
      <p className="muted">
        Your website signs each callback with this key. Keep it on your server: anyone who has it can complete
        tasks for anyone.
      </p>
      <div className="key-row">
        <code id={keyId} className="key">
          {revealed ? project.apiKey : maskKey(project.apiKey)}
        </code>
        <Button
          variant="secondary"
          size="small"
          aria-pressed={revealed}
          aria-controls={keyId}
          onClick={() => setRevealed(!revealed)}
        >
          {revealed ? 'Hide' : 'Reveal'}
        </Button>
        <CopyButton text={project.apiKey} label="Copy" />
      </div>
      {project.previousKeyExpiresAt && (
        <p className="notice notice--info">
          The previous key keeps verifying until {new Date(project.previousKeyExpiresAt).toLocaleString()}.
        </p>
      )}
      <div className="form-inline">
        <div className="field">
          <label className="field__label" htmlFor={graceId}>
            Old key keeps working for
          </label>
          <select
            id={graceId}
            className="input"
            value={graceHours}
            onChange={(e) => setGraceHours(Number(e.target.value))}
          >
            {GRACE_CHOICES.map((choice) => (
              <option key={choice.hours} value={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
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
      {rotate.isError && (
        <p className="notice notice--danger" role="alert">
          {errorMessage(rotate.error)}
        </p>
      )}
    </section>
  );
}
