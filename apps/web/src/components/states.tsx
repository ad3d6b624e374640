import type { ReactNode } from 'react';
import { ApiError, errorMessage, fieldProblems, sentence } from '../lib/api';
import { Button } from './button';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <output className="state">
      <span className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </output>
  );
}

/** Nothing to show, said plainly; `level` 1 when it is the whole page, so the page keeps its main heading. */
export function EmptyState({
  title,
  level = 2,
  children,
}: {
  title: string;
  level?: 1 | 2;
  children?: ReactNode;
}) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div className="state">
      <Heading className="state__title">{title}</Heading>
      {children}
    </div>
  );
}

/** Trying again cannot find what the server says is not there. */
const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/** A failed load: the server's message, and a way to try again when one is given and could help. */
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
      {retry && !isNotFound(error) && (
        <Button variant="secondary" size="small" onClick={retry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/**
 * A failed action's message, from the server when it gave one; nothing while there is no error. A form
 * passes `labelOf` to have a refusal's field-by-field problems listed in its own labels' words.
 */
export function ErrorNotice({
  error,
  labelOf,
}: {
  error: unknown;
  labelOf?: (field: string) => string | undefined;
}) {
  if (!error) return null;
  const problems = labelOf ? fieldProblems(error, labelOf) : [];
  // Focusable, so a form can take the eye to it when it is the only word on what went wrong.
  if (problems.length === 0) {
    return (
      <p className="notice notice--danger" role="alert" tabIndex={-1}>
        {errorMessage(error)}
      </p>
    );
  }
  return (
    <div className="notice notice--danger" role="alert" tabIndex={-1}>
      {problems.length === 1 ? (
        <p>{sentence(problems[0] as string)}</p>
      ) : (
        <>
          <p>{problems.length} things to change:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{sentence(problem)}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
