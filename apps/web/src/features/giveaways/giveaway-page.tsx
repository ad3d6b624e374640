import { QUICKNET, roundTime } from '@proofdrop/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { buttonClass } from '../../components/button';
import { ConfirmButton } from '../../components/confirm-button';
import { CopyButton } from '../../components/copy-button';
import { TrophyIcon } from '../../components/icons';
import { PrizeList } from '../../components/prize-list';
import { ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { formatDateTime } from '../../lib/date-time';
import { countOf, nounFor } from '../../lib/plural';
import { useServerFeatures } from '../../lib/server-features';
import { BackLink, HostPageError } from '../auth/host-area';
import { type CallbackLogFilter, useCallbackLog, useLiveCallbacks } from '../callbacks/api';
import { useDrawProof } from '../participant/api';
import { useProject } from '../projects/api';
import {
  type GiveawayWithStats,
  giveawayPath,
  hostGiveawayKey,
  useDeleteGiveaway,
  useHostGiveaway,
  useLifecycle,
  useWinners,
} from './api';
import { EntriesTable } from './entries-table';
import { readPastedBeacon } from './pasted-beacon';
import { PhaseBadge } from './phase-badge';

/** `/giveaways/:giveawayId`: where a host runs a giveaway, from draft to winners. */
export function GiveawayPage() {
  const { giveawayId = '' } = useParams();
  const giveaway = useHostGiveaway(giveawayId);
  if (giveaway.isPending) return <LoadingState label="Loading the giveaway…" />;
  if (giveaway.isError) return <HostPageError error={giveaway.error} retry={() => giveaway.refetch()} />;
  return <GiveawayScreen giveaway={giveaway.data} />;
}

function GiveawayScreen({ giveaway }: { giveaway: GiveawayWithStats }) {
  const project = useProject(giveaway.projectId);
  useRefreshOnCallbacks(giveaway.projectId, giveaway.id);
  const websiteName = (id: string) =>
    project.data?.websites.find((w) => w.id === id)?.name ?? 'a removed website';
  const drawn = giveaway.status === 'drawn';
  const publicPage = `/g/${giveaway.slug}`;
  const startedAt = giveaway.startsAt ?? giveaway.publishedAt;

  return (
    <div className="stack">
      <BackLink to={`/projects/${giveaway.projectId}`}>{project.data?.name ?? 'Project'}</BackLink>
      <div className="item-row">
        <h1>{giveaway.title}</h1>
        <PhaseBadge phase={giveaway.status} />
      </div>
      <Actions giveaway={giveaway} />

      <section className="card stack" aria-labelledby="stats-title">
        <h2 id="stats-title">Entries</h2>
        <div className="stats" aria-live="polite">
          <p>
            <strong className="stats__number">{giveaway.stats.entries}</strong> joined
          </p>
          <p>
            <strong className="stats__number">{giveaway.stats.eligible}</strong> eligible
          </p>
          <p>
            <strong className="stats__number">{giveaway.winnerCount}</strong>{' '}
            {nounFor(giveaway.winnerCount, 'winner')},{' '}
            {giveaway.winnerMode === 'lucky_draw' ? 'drawn at random' : 'first come'}
          </p>
        </div>
        {giveaway.status !== 'draft' && <ShareLinks publicPage={publicPage} />}
      </section>

      <section className="card stack" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="definition-list">
          <dt>Starts</dt>
          <dd>
            {/* Without a start time it started when published: that moment, once there is one. */}
            {startedAt ? formatDateTime(startedAt) : 'When published'}
          </dd>
          <dt>Ends</dt>
          <dd>
            {giveaway.endedAt
              ? `Ended ${formatDateTime(giveaway.endedAt)}`
              : giveaway.endsAt
                ? formatDateTime(giveaway.endsAt)
                : 'When you press End'}
          </dd>
          <dt>Prizes</dt>
          <dd>
            {giveaway.prizes.length === 0 ? (
              'None listed'
            ) : (
              <PrizeList prizes={giveaway.prizes} winnerCount={giveaway.winnerCount} forHost />
            )}
          </dd>
          {giveaway.description && (
            <>
              <dt>Description</dt>
              <dd className="pre-line">{giveaway.description}</dd>
            </>
          )}
        </dl>
        <h3>Tasks</h3>
        {giveaway.tasks.length === 0 ? (
          <p className="muted">No tasks: everyone who joins is eligible.</p>
        ) : (
          <ol className="item-list">
            {giveaway.tasks.map((task) => (
              <li key={task.id} className="item-list__item item-row">
                <div className="item-row__main">
                  <strong>{task.name}</strong>
                  <span className="muted">
                    <code>{task.event}</code> on {websiteName(task.websiteId)}
                  </span>
                </div>
                <span>× {task.requiredAmount}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {drawn && (
        <Winners
          giveawayId={giveaway.id}
          winnerCount={giveaway.winnerCount}
          hasPrizes={giveaway.prizes.length > 0}
        />
      )}
      {giveaway.status !== 'draft' && <EntriesTable giveaway={giveaway} />}
      {giveaway.status !== 'draft' && (
        <section className="card stack" aria-labelledby="exports-title">
          <h2 id="exports-title">Exports</h2>
          <p className="row">
            <a href={`${giveawayPath(giveaway.id)}/participants?format=csv`}>Entries (CSV)</a>
            <a href={`${giveawayPath(giveaway.id)}/participants?format=json`}>Entries (JSON)</a>
            {drawn && <a href={`${giveawayPath(giveaway.id)}/winners?format=csv`}>Winners (CSV)</a>}
            {drawn && <a href={`${giveawayPath(giveaway.id)}/winners?format=json`}>Winners (JSON)</a>}
          </p>
        </section>
      )}
    </div>
  );
}

/** A refused callback changes no count. */
const ACCEPTED: CallbackLogFilter = { outcome: 'accepted' };

/** Counts move when callbacks arrive: the project's live callback stream tells this page to read again. */
function useRefreshOnCallbacks(projectId: string, giveawayId: string) {
  const queryClient = useQueryClient();
  const log = useCallbackLog(projectId, ACCEPTED);
  useLiveCallbacks(projectId, ACCEPTED, log.data, false);
  const newest = log.data?.pages[0]?.callbacks[0]?.id;
  useEffect(() => {
    if (newest === undefined) return;
    queryClient.invalidateQueries({ queryKey: hostGiveawayKey(giveawayId) });
    queryClient.invalidateQueries({ queryKey: ['entries', giveawayId] });
  }, [newest, giveawayId, queryClient]);
}

/** The participant page's address to hand out, in full and copyable, and the draw's public proof. */
function ShareLinks({ publicPage }: { publicPage: string }) {
  const address = `${window.location.origin}${publicPage}`;
  return (
    <div className="stack">
      <p className="row">
        <span>Participant page:</span>
        <a className="break-anywhere" href={publicPage}>
          {address}
        </a>
        <CopyButton text={address} label="Copy link" />
      </p>
      <p>
        <a href={`${publicPage}/proof`}>Public proof of the draw</a>
      </p>
    </div>
  );
}

function Actions({ giveaway }: { giveaway: GiveawayWithStats }) {
  const lifecycle = useLifecycle(giveaway.id);
  const remove = useDeleteGiveaway(giveaway.id);
  const navigate = useNavigate();
  const [beacon, setBeacon] = useState(false);
  const beaconId = useId();
  const noRelay = useServerFeatures().data?.fetchesBeacons === false;
  // A draw that mixes in a drand round names it in its proof from the end on.
  const proof = useDrawProof(giveaway.slug, giveaway.status === 'ended');
  const round = proof.data?.beacon?.round ?? undefined;
  const [beaconText, setBeaconText] = useState('');
  const pasted = round === undefined ? undefined : readPastedBeacon(beaconText, round);
  const failure = lifecycle.error ?? remove.error;
  const running = giveaway.status === 'live' || giveaway.status === 'scheduled';
  return (
    <div className="stack">
      <div className="row">
        {giveaway.editable.length > 0 && (
          <Link className={buttonClass('secondary')} to={`/giveaways/${giveaway.id}/edit`}>
            Edit
          </Link>
        )}
        {giveaway.status === 'draft' && (
          <>
            <ConfirmButton
              size="normal"
              variant="primary"
              question="Publish it? Its tasks, winners, prizes and bot protection are fixed from then on."
              confirmLabel="Yes, publish"
              busy={lifecycle.isPending && lifecycle.variables?.action === 'publish'}
              onConfirm={() => lifecycle.mutate({ action: 'publish', beacon })}
            >
              Publish
            </ConfirmButton>
            {giveaway.winnerMode === 'lucky_draw' && (
              <span className="checkbox">
                <input
                  id={beaconId}
                  type="checkbox"
                  checked={beacon}
                  aria-describedby={beacon && noRelay ? `${beaconId}-paste` : undefined}
                  onChange={(e) => setBeacon(e.target.checked)}
                />
                <label htmlFor={beaconId}>Also mix in a public drand beacon at the end</label>
              </span>
            )}
            <ConfirmButton
              size="normal"
              question="Delete this draft?"
              confirmLabel="Yes, delete"
              busy={remove.isPending}
              onConfirm={() =>
                remove.mutate(undefined, { onSuccess: () => navigate(`/projects/${giveaway.projectId}`) })
              }
            >
              Delete draft
            </ConfirmButton>
          </>
        )}
        {running && (
          <ConfirmButton
            size="normal"
            question="End it now? Nobody can join or complete tasks after."
            confirmLabel="Yes, end it"
            busy={lifecycle.isPending}
            onConfirm={() => lifecycle.mutate({ action: 'end' })}
          >
            End
          </ConfirmButton>
        )}
        {giveaway.status === 'ended' && (
          <ConfirmButton
            size="normal"
            question={`Draw the winners now? The draw is final: it cannot be undone or run again.${shortfall(proof.data?.entries?.length, giveaway.winnerCount)}`}
            confirmLabel="Yes, draw the winners"
            variant="primary"
            busy={lifecycle.isPending}
            disabled={pasted === undefined ? round !== undefined && noRelay : 'error' in pasted}
            onConfirm={() =>
              lifecycle.mutate({
                action: 'draw',
                beacon: pasted && 'beacon' in pasted ? pasted.beacon : undefined,
              })
            }
          >
            Draw winners
          </ConfirmButton>
        )}
      </div>
      {giveaway.status === 'draft' && beacon && noRelay && (
        <p className="muted" id={`${beaconId}-paste`}>
          This server fetches no drand rounds (DRAND_RELAY_URL is not set): when you draw, you will paste the
          round the draw takes, from any drand relay.
        </p>
      )}
      {giveaway.status === 'ended' && round !== undefined && (
        <BeaconRound
          round={round}
          fetched={!noRelay}
          text={beaconText}
          onText={setBeaconText}
          pasted={pasted}
        />
      )}
      <ErrorNotice error={failure} />
    </div>
  );
}

/** What a draw with fewer entries in its frozen list than places will do, said before it is done. */
function shortfall(inDraw: number | undefined, places: number): string {
  if (inDraw === undefined || inDraw >= places) return '';
  if (inDraw === 0) return ' No entry is eligible, so nobody will win.';
  return ` Only ${countOf(inDraw, 'entry', 'entries')} ${inDraw === 1 ? 'is' : 'are'} eligible for ${countOf(places, 'place')}: ${inDraw === 1 ? 'it wins' : 'all of them win'}.`;
}

/** The drand round a draw takes: where to find it, and a place to paste it when the server cannot fetch it. */
function BeaconRound({
  round,
  fetched,
  text,
  onText,
  pasted,
}: {
  round: number;
  fetched: boolean;
  text: string;
  onText: (text: string) => void;
  pasted: ReturnType<typeof readPastedBeacon>;
}) {
  const id = useId();
  const at = formatDateTime(roundTime(round));
  const relay = `https://api.drand.sh/${QUICKNET.hash}/public/${round}`;
  const error = pasted && 'error' in pasted ? pasted.error : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        drand round {round} {fetched ? '(optional)' : '(needed to draw)'}
      </label>
      <span className="field__hint" id={`${id}-hint`}>
        The draw mixes in drand quicknet round {round}, published at {at}.{' '}
        {fetched
          ? 'The server fetches it when you draw; paste it here only if it cannot.'
          : 'This server fetches no drand rounds: paste what a drand relay shows for it, such as'}{' '}
        {!fetched && (
          <a href={relay} target="_blank" rel="noreferrer">
            {relay}
          </a>
        )}
      </span>
      <textarea
        id={id}
        className="input"
        rows={3}
        spellCheck={false}
        value={text}
        placeholder={`{"round":${round},"signature":"…"}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        onChange={(e) => onText(e.target.value)}
      />
      {error && (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

function Winners({
  giveawayId,
  winnerCount,
  hasPrizes,
}: {
  giveawayId: string;
  winnerCount: number;
  /** A giveaway without prizes says nothing of them beside its winners. */
  hasPrizes: boolean;
}) {
  const winners = useWinners(giveawayId, true);
  const winnersDrawn = winners.data?.winners.length ?? 0;
  return (
    <section className="card stack" aria-labelledby="winners-list-title">
      <h2 id="winners-list-title">Winners</h2>
      {winners.isPending ? (
        <LoadingState label="Loading the winners…" />
      ) : winners.isError ? (
        <ErrorState error={winners.error} retry={() => winners.refetch()} />
      ) : winnersDrawn === 0 ? (
        <p className="muted">Nobody was eligible, so there are no winners.</p>
      ) : (
        <>
          {winnersDrawn < winnerCount && (
            <p className="muted">
              {winnersDrawn} of {winnerCount} winners: only {countOf(winnersDrawn, 'entry', 'entries')}{' '}
              {winnersDrawn === 1 ? 'was' : 'were'} eligible when the giveaway ended.
            </p>
          )}
          <ol className="item-list">
            {winners.data.winners.map((w) => (
              <li key={w.participantId} className="item-list__item item-row">
                <div className="item-row__main">
                  <span>
                    <strong>#{w.winnerRank}</strong> {w.email}
                  </span>
                  {w.prize !== null ? (
                    <span>
                      Prize: <strong>{w.prize}</strong>
                    </span>
                  ) : (
                    hasPrizes && <span className="muted">No named prize for this rank</span>
                  )}
                </div>
                <span className="badge badge--success">
                  <TrophyIcon /> Winner
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
