import type { DrawProof } from '@proofdrop/contract';
import { verifyInclusion } from '@proofdrop/protocol';
import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/button';
import { Field } from '../../../components/field';
import { ApiError, errorMessage } from '../../../lib/api';
import { countOf } from '../../../lib/plural';
import { useInclusion } from '../../participant/api';

function InclusionResult({ slug, entryId, proof }: { slug: string; entryId: string; proof: DrawProof }) {
  const inclusion = useInclusion(slug, entryId);
  if (inclusion.isPending) return <p>Checking…</p>;
  if (inclusion.isError) {
    const absent = inclusion.error instanceof ApiError && inclusion.error.status === 404;
    return (
      <div className={`notice ${absent ? 'notice--warning' : 'notice--danger'}`}>
        {absent ? (
          <>
            <strong>Not in the list.</strong> <code>{entryId}</code> is not among the frozen entries: only
            entries that had finished every task when the giveaway ended are in it.
          </>
        ) : (
          errorMessage(inclusion.error)
        )}
      </div>
    );
  }
  const path = inclusion.data;
  // The root is the published one, not the one this answer carries: the path must lead to what everyone sees.
  const holds =
    path.entryId === entryId && proof.merkleRoot !== null && verifyInclusion(path, proof.merkleRoot);
  return holds ? (
    <div className="notice notice--success">
      <strong>✓ In the list.</strong> <code>{entryId}</code> is entry {path.index + 1}
      {proof.entries && ` of ${proof.entries.length}`}. Your browser checked it against the list's published
      fingerprint, its Merkle root, in {countOf(path.siblings.length, 'step')}: the server could not have
      added it afterwards.
    </div>
  ) : (
    <div className="notice notice--danger">
      <strong>✗ The inclusion proof does not hold.</strong> The path the server sent for{' '}
      <code>{entryId}</code> does not lead to the published Merkle root.
    </div>
  );
}

/** "Am I in the draw?" answered by a Merkle path checked here, against the root published for everyone. */
export function InclusionCheck({
  slug,
  proof,
  myEntryId,
}: {
  slug: string;
  proof: DrawProof;
  myEntryId: string | null;
}) {
  const [entryId, setEntryId] = useState(myEntryId ?? '');
  const [checked, setChecked] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(entryId.trim() || null);
  }

  return (
    <section className="card stack" aria-labelledby="inclusion-title">
      <h2 id="inclusion-title">Check that I am in the list</h2>
      {proof.merkleRoot === null ? (
        <p className="muted">
          The entry list is frozen when the giveaway ends. Come back then to check your entry.
        </p>
      ) : (
        <>
          <form className="form-inline" onSubmit={submit}>
            <Field
              label="Entry id"
              name="entryId"
              autoComplete="off"
              spellCheck={false}
              hint={
                myEntryId
                  ? 'Filled in with your entry in this browser.'
                  : 'Shown on the giveaway page once you join.'
              }
              value={entryId}
              onChange={(event) => setEntryId(event.target.value)}
            />
            <Button type="submit">Check</Button>
          </form>
          {checked !== null && <InclusionResult slug={slug} entryId={checked} proof={proof} />}
        </>
      )}
    </section>
  );
}
