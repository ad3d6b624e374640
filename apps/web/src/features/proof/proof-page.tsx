import type { DrawProof } from '@proofdrop/contract';
import { Link, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { formatDateTime } from '../../lib/date-time';
import { useDocumentTitle } from '../../lib/document-title';
import { countOf } from '../../lib/plural';
import { useDrawProof, useGiveaway, useMyEntry, useProofFollowsPhase } from '../participant/api';
import { GiveawayLoadError } from '../participant/components/giveaway-missing';
import { DrawVerification } from './components/draw-verification';
import { InclusionCheck } from './components/inclusion-check';
import { TerminalCheck } from './components/terminal-check';

const formatDate = (iso: string) => formatDateTime(iso, { seconds: true });

function Hex({ value, missing }: { value: string | null; missing: string }) {
  return value ? <code>{value}</code> : <span className="muted">{missing}</span>;
}

function ProofFields({ proof }: { proof: DrawProof }) {
  return (
    <dl className="definition-list proof-fields">
      <dt>Procedure</dt>
      <dd>
        <code>{proof.version}</code>, {countOf(proof.winnerCount, 'winner')},{' '}
        {proof.winnerMode === 'first_come' ? 'first to finish' : 'drawn by lot'}
      </dd>
      <dt>Commitment</dt>
      <dd>
        <Hex value={proof.commitment} missing="" />
        <div className="muted">
          SHA-256 of the secret seed, published on{' '}
          <time dateTime={proof.committedAt}>{formatDate(proof.committedAt)}</time>
        </div>
      </dd>
      <dt>Frozen list</dt>
      <dd>
        {proof.entries && proof.frozenAt ? (
          <>
            {countOf(proof.entries.length, 'eligible entry', 'eligible entries')}, frozen on{' '}
            <time dateTime={proof.frozenAt}>{formatDate(proof.frozenAt)}</time>
            {proof.entries.length > 0 && (
              <details>
                <summary>Show the entry ids, in their frozen order</summary>
                <ol className="entry-list">
                  {proof.entries.map((entryId) => (
                    <li key={entryId}>
                      <code>{entryId}</code>
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </>
        ) : (
          <span className="muted">Frozen when the giveaway ends.</span>
        )}
      </dd>
      <dt>List hash</dt>
      <dd>
        <Hex value={proof.listHash} missing="Not yet: the list is frozen when the giveaway ends." />
      </dd>
      <dt>Merkle root</dt>
      <dd>
        <Hex value={proof.merkleRoot} missing="Not yet: the list is frozen when the giveaway ends." />
      </dd>
      <dt>Beacon</dt>
      <dd>
        {proof.beacon ? (
          <>
            drand {proof.beacon.chain}, round {proof.beacon.round ?? 'not fixed yet'}
            {proof.beacon.randomness && (
              <div>
                randomness <code>{proof.beacon.randomness}</code>
              </div>
            )}
          </>
        ) : (
          <span className="muted">None: the seed alone decides.</span>
        )}
      </dd>
      <dt>Seed</dt>
      <dd>
        <Hex value={proof.seed} missing="Revealed once the winners are drawn." />
      </dd>
      <dt>Winners</dt>
      <dd>
        {proof.winners === null ? (
          <span className="muted">Not drawn yet.</span>
        ) : proof.winners.length === 0 ? (
          'None: no entry was eligible.'
        ) : (
          <ol className="winner-list">
            {proof.winners.map((winner) => (
              <li key={winner.entryId}>
                <span className="muted">#{winner.rank}</span> <code>{winner.entryId}</code>
              </li>
            ))}
          </ol>
        )}
      </dd>
    </dl>
  );
}

export function ProofPage() {
  const { slug = '' } = useParams();
  const giveaway = useGiveaway(slug);
  const proof = useDrawProof(slug);
  const entry = useMyEntry(slug);
  useProofFollowsPhase(slug, giveaway.data?.status);
  useDocumentTitle(giveaway.data && `Proof of the draw: ${giveaway.data.title}`);

  if (proof.isPending || giveaway.isPending) return <LoadingState label="Loading the proof…" />;
  if (giveaway.isError) return <GiveawayLoadError error={giveaway.error} retry={() => giveaway.refetch()} />;
  if (proof.isError)
    return <ErrorState error={proof.error} title="The proof cannot be shown" retry={() => proof.refetch()} />;

  return (
    <article className="stack proof-page">
      <header className="stack">
        <p>
          <Link to={`/g/${encodeURIComponent(slug)}`}>← {giveaway.data.title}</Link>
        </p>
        <h1>Proof of the draw</h1>
        <p className="muted">{proof.data.guarantee}</p>
      </header>
      <DrawVerification proof={proof.data} />
      {/* Keyed by the entry, so the field fills in once this browser's entry has loaded. */}
      <InclusionCheck
        key={entry.data?.participantId ?? 'none'}
        slug={slug}
        proof={proof.data}
        myEntryId={entry.data?.participantId ?? null}
      />
      <TerminalCheck slug={slug} drawn={proof.data.winners !== null} />
      <section className="card" aria-labelledby="published-title">
        <h2 id="published-title">What was published</h2>
        <ProofFields proof={proof.data} />
      </section>
    </article>
  );
}
