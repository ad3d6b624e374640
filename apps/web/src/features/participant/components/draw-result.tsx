import type { Prize } from '@proofdrop/contract';
import { prizeForRank } from '@proofdrop/protocol';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../../components/states';
import { countOf } from '../../../lib/plural';
import { useDrawProof } from '../api';
import { maskEntryId } from '../entry-id';

/**
 * After the draw: the winners by masked entry id, each with the prize of their rank (public already, as the
 * prizes are), and whether this browser's entry is one of them, with its prize. An entry that was not
 * eligible was not in the draw: the entry's own panel says so, and this says nothing of it.
 */
export function DrawResult({
  slug,
  entry,
  prizes,
}: {
  slug: string;
  entry: { participantId: string; eligible: boolean } | null;
  prizes: readonly Prize[];
}) {
  const participantId = entry?.participantId ?? null;
  const proof = useDrawProof(slug);
  if (proof.isPending) return <LoadingState label="Loading the winners…" />;
  if (proof.isError)
    return (
      <ErrorState error={proof.error} title="The winners cannot be shown" retry={() => proof.refetch()} />
    );
  const winners = proof.data.winners ?? [];
  const mine =
    participantId === null ? undefined : winners.find((winner) => winner.entryId === participantId);
  const myPrize = mine && prizeForRank(prizes, mine.rank);

  return (
    <section className="card stack" aria-labelledby="winners-title">
      <h2 id="winners-title">Winners</h2>
      {mine ? (
        <div className="notice notice--success">
          <strong>You won!</strong> You are winner #{mine.rank}
          {myPrize ? (
            <>
              , and your prize is <strong>{myPrize.name}</strong>.
            </>
          ) : (
            '.'
          )}{' '}
          The host will contact you at the email you joined with.
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
          {winners.map((winner) => {
            const prize = prizeForRank(prizes, winner.rank);
            return (
              <li key={winner.entryId}>
                <span className="muted">#{winner.rank}</span> <code>{maskEntryId(winner.entryId)}</code>
                {prize && <span>{prize.name}</span>}
                {winner.entryId === participantId && <span className="badge badge--success">You</span>}
              </li>
            );
          })}
        </ol>
      )}
      <p>
        <Link to={`/g/${encodeURIComponent(slug)}/proof`}>Check the draw yourself</Link>: the proof page
        recomputes it in your browser.
      </p>
    </section>
  );
}
