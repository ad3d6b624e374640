import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useGiveaway } from './api';

export function ParticipantPage() {
  const { slug = '' } = useParams();
  const giveaway = useGiveaway(slug);
  if (giveaway.isPending) return <LoadingState label="Loading the giveaway…" />;
  if (giveaway.isError)
    return (
      <ErrorState
        error={giveaway.error}
        title="This giveaway cannot be shown"
        retry={() => giveaway.refetch()}
      />
    );
  return (
    <article className="stack page--narrow">
      <h1>{giveaway.data.title}</h1>
      <p>{giveaway.data.description}</p>
    </article>
  );
}
