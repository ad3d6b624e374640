import type { Phase, PublicGiveaway } from '@proofdrop/contract';
import { LinkedText } from '../../../components/linked-text';
import { PrizeList } from '../../../components/prize-list';
import { formatDateTime } from '../../../lib/date-time';
import { countOf } from '../../../lib/plural';
import { Countdown } from './countdown';

const PHASES: Record<Phase, { label: string; tone: string }> = {
  draft: { label: 'Draft', tone: 'neutral' },
  scheduled: { label: 'Not started yet', tone: 'warning' },
  live: { label: 'Live', tone: 'success' },
  ended: { label: 'Ended', tone: 'neutral' },
  drawn: { label: 'Winners drawn', tone: 'info' },
};

function PhaseBadge({ status }: { status: Phase }) {
  const phase = PHASES[status];
  return <span className={`badge badge--${phase.tone}`}>{phase.label}</span>;
}

export function GiveawayHeader({
  giveaway,
  onPhaseEnd,
}: {
  giveaway: PublicGiveaway;
  onPhaseEnd: () => void;
}) {
  const { status, startsAt, endsAt, endedAt } = giveaway;
  const over = status === 'ended' || status === 'drawn';
  return (
    <header className="card stack giveaway-header">
      <div className="row">
        <PhaseBadge status={status} />
        <span className="muted">
          {countOf(giveaway.winnerCount, 'winner')},{' '}
          {giveaway.winnerMode === 'first_come' ? 'the first to finish every task' : 'drawn by lot'}
        </span>
      </div>
      <h1>{giveaway.title}</h1>
      {giveaway.description && (
        <p className="giveaway-description">
          <LinkedText text={giveaway.description} />
        </p>
      )}
      {status === 'scheduled' && startsAt && (
        <Countdown label="Starts in" until={startsAt} onEnd={onPhaseEnd} />
      )}
      {status === 'live' && endsAt && <Countdown label="Ends in" until={endsAt} onEnd={onPhaseEnd} />}
      <dl className="definition-list">
        {startsAt && (
          <>
            <dt>Starts</dt>
            <dd>
              <time dateTime={startsAt}>{formatDateTime(startsAt)}</time>
            </dd>
          </>
        )}
        <dt>{over ? 'Ended' : 'Ends'}</dt>
        <dd>
          {over && endedAt ? (
            <time dateTime={endedAt}>{formatDateTime(endedAt)}</time>
          ) : endsAt ? (
            <time dateTime={endsAt}>{formatDateTime(endsAt)}</time>
          ) : (
            'when the host ends it'
          )}
        </dd>
      </dl>
      {giveaway.prizes.length > 0 && (
        <section aria-labelledby="prizes-title">
          <h2 id="prizes-title">Prizes</h2>
          <PrizeList prizes={giveaway.prizes} winnerCount={giveaway.winnerCount} />
        </section>
      )}
    </header>
  );
}
