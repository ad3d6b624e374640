import type { ReactNode } from 'react';
import { errorMessage } from '../lib/api';
import { Button } from './button';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <output className="state">
      <span className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </output>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <p className="state__title">
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

/** A failed load: the server's message, and a way to try again when one is given. */
export function ErrorState({
  error,
  title = 'This could not be loaded',
  retry,
}: {
  error: unknown;
  title?: string;
  retry?: () => void;
}) {
  return (
    <div className="notice notice--danger" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      <p>{errorMessage(error)}</p>
      {retry && (
        <Button variant="secondary" size="small" onClick={retry}>
          Try again
        </Button>
      )}
    </div>
  );
}
