import type { PublicGiveaway } from '@proofdrop/contract';
import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Field } from '../../../components/field';
import { ApiError, errorMessage } from '../../../lib/api';
import { useJoin } from '../api';

export function JoinForm({ slug, tasks }: { slug: string; tasks: PublicGiveaway['tasks'] }) {
  const join = useJoin(slug);
  const [email, setEmail] = useState('');
  const fieldError =
    join.error instanceof ApiError && join.error.code === 'invalid_request' ? join.error.message : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    join.mutate(email.trim());
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
            {tasks.map((task) => (
              <li key={task.id}>
                {task.name}
                {task.requiredAmount > 1 && <span className="muted"> ({task.requiredAmount} times)</span>}
              </li>
            ))}
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
        <Button type="submit" busy={join.isPending}>
          Join
        </Button>
      </form>
      {join.isError && !fieldError && (
        <div className="notice notice--danger" role="alert">
          {errorMessage(join.error)}
        </div>
      )}
    </section>
  );
}
