import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useDrawProof } from './api';

export function ProofPage() {
  const { slug = '' } = useParams();
  const proof = useDrawProof(slug);
  if (proof.isPending) return <LoadingState label="Loading the proof…" />;
  if (proof.isError)
    return <ErrorState error={proof.error} title="The proof cannot be shown" retry={() => proof.refetch()} />;
  return (
    <article className="stack">
      <h1>Proof of the draw</h1>
      <dl className="definition-list">
        <dt>Commitment</dt>
        <dd className="mono">{proof.data.commitment}</dd>
      </dl>
    </article>
  );
}
