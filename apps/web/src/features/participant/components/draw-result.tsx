import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../../components/states';
import { countOf } from '../../../lib/plural';
import { useDrawProof } from '../api';
import { maskEntryId } from '../entry-id';

/**
 * After the draw: the winners by masked entry id, and whether this browser's entry is one of them. An entry
 * that was not eligible was not in the draw: the entry's own panel says so, and this says nothing of it.
 */
export function DrawResult({
  slug,
  entry,
}: {
  slug: string;
  entry: { participantId: string; eligible: boolean } | null;
}) {
  const participantId = entry?.participantId ?? null;
  const proof = useDrawProof(slug);
  if (proof.isPending) return <LoadingState label="Loading the winners…" />;
  if (proof.isError)
    return (
      <ErrorState error={proof.error} title="The winners cannot be shown" retry={() => proof.refetch()} />
    );
  const winners = proof.data.winners ?? [];
  const won = participantId !== null && winners.some((winner) => winner.entryId === participantId);

  return (
    <section className="card stack" aria-labelledby="winners-title">
      <h2 id="winners-title">Winners</h2>
      {won ? (
        <div className="notice notice--success">
          <strong>You won!</strong> The host will contact you at the email you joined with.
        </div>
      ) : (
        entry?.eligible && (
          <div className="notice">
            <strong>Not this time.</strong> Your entry was in the draw, and was not drawn. Thank you for
            taking part.
          </div>
        )
      )}
      {winners.length === 0 ? (
        <p>No entry was eligible, so there are no winners.</p>
      ) : winners.length < proof.data.winnerCount ? (
        <p className="muted">
          {countOf(proof.data.winnerCount, 'winner')} were to be drawn, but only{' '}
          {countOf(winners.length, 'entry', 'entries')}{' '}
          {winners.length === 1 ? 'was eligible, and it won.' : 'were eligible, and all of them won.'}
        </p>
      ) : null}
      {winners.length > 0 && (
        <ol className="winner-list">
          {winners.map((winner) => (
            <li key={winner.entryId}>
              <span className="muted">#{winner.rank}</span> <code>{maskEntryId(winner.entryId)}</code>
              {winner.entryId === participantId && <span className="badge badge--success">You</span>}
            </li>
          ))}
        </ol>
      )}
      <p>
        <Link to={`/g/${encodeURIComponent(slug)}/proof`}>Check the draw yourself</Link>: the proof page
        recomputes it in your browser.
      </p>
    </section>
  );
}
