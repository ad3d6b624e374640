import type { SignatureVersion } from '@proofdrop/contract';
import { useId } from 'react';
import { errorMessage } from '../../lib/api';
import { type ProjectWithWebsites, useSetSignatureVersion } from './api';

/** Which callback signatures the project accepts; v2 is opted into once every website sends `ts`. */
export function SignatureVersionField({ project }: { project: ProjectWithWebsites }) {
  const save = useSetSignatureVersion(project.id);
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Signature version
      </label>
      <span className="field__hint" id={hintId}>
        v1 takes callbacks with or without <code>ts</code>, so every website works. v2 signs{' '}
        <code>&amp;ts=</code> (unix seconds) appended to the canonical string and refuses callbacks more than
        5 minutes old or ahead, so a captured callback cannot be replayed.
      </span>
      <select
        id={id}
        className="input"
        aria-describedby={hintId}
        value={project.signatureVersion}
        disabled={save.isPending}
        onChange={(e) => save.mutate(e.target.value as SignatureVersion)}
      >
        <option value="v1">v1: ts optional</option>
        <option value="v2">v2: ts required</option>
      </select>
      {save.isError && (
        <span className="field__error" role="alert">
          {errorMessage(save.error)}
        </span>
      )}
    </div>
  );
}
