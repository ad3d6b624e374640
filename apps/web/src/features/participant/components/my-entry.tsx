import type { MyEntry, Phase } from '@proofdrop/contract';
import { CopyButton } from '../../../components/copy-button';
import { countOf } from '../../../lib/plural';
import type { StreamState } from '../../../lib/sse';
import { type Receipts, TaskList } from './task-list';

/** Where a first-come entry stands: within the places it wins, or after them. */
function finishedPlace(rank: number, places: number, status: Phase): string {
  const first = `the first ${countOf(places, 'entry', 'entries')} to finish ${places === 1 ? 'wins' : 'win'}`;
  if (rank <= places) {
    return status === 'drawn'
      ? `You finished #${rank}, and ${first}.`
      : `You finished #${rank}, and ${first}: your place is kept.`;
  }
  return `You finished #${rank}, after the ${countOf(places, 'place')} ${places === 1 ? 'was' : 'were'} taken: ${first}.`;
}

function Eligibility({
  entry,
  status,
  places,
  firstCome,
}: {
  entry: MyEntry;
  status: Phase;
  places: number;
  firstCome: boolean;
}) {
  const done = entry.tasks.filter((task) => task.completed).length;
  if (entry.verificationRequired && !entry.verified) {
    return (
      <div className="notice notice--warning">
        <strong>Confirm your email to be eligible.</strong> Check your email: open the link we sent to the
        address you entered with. Until then this entry does not count, even with every task done.
      </div>
    );
  }
  if (entry.eligible) {
    return (
      <div className="notice notice--success">
        <strong>✓ You are eligible.</strong>{' '}
        {entry.finishedRank !== null
          ? finishedPlace(entry.finishedRank, places, status)
          : status === 'live'
            ? 'Every task is done: you are in the draw.'
            : status === 'drawn'
              ? 'Every task was done: your entry was in the draw.'
              : 'Every task was done: you are in the draw.'}
      </div>
    );
  }
  if (status === 'live') {
    return (
      <div className="notice notice--info">
        <strong>
          {done} of {countOf(entry.tasks.length, 'task')} done.
        </strong>{' '}
        {firstCome
          ? `Finish every task: the first ${countOf(places, 'entry', 'entries')} to finish ${places === 1 ? 'wins' : 'win'}.`
          : 'Finish every task to be eligible for the draw.'}
      </div>
    );
  }
  return (
    <div className="notice">
      <strong>Not eligible.</strong> Not every task was done before the end, so this entry{' '}
      {status === 'drawn' ? 'was' : 'is'} not in the draw.
    </div>
  );
}

const STREAM_LABELS: Record<StreamState, { text: string; tone: string }> = {
  connecting: { text: 'Connecting…', tone: 'neutral' },
  open: { text: '● Live updates', tone: 'success' },
  reconnecting: { text: 'Reconnecting…', tone: 'warning' },
  closed: { text: 'Not live: reload the page', tone: 'warning' },
};

export function MyEntryPanel({
  entry,
  status,
  places,
  firstCome,
  stream,
  receipts,
}: {
  entry: MyEntry;
  status: Phase;
  /** The giveaway's winners: in a first-come giveaway, the first this many to finish. */
  places: number;
  firstCome: boolean;
  stream: StreamState;
  receipts: Receipts;
}) {
  const label = STREAM_LABELS[stream];
  return (
    <section className="stack" aria-labelledby="entry-title">
      <div className="row entry-head">
        <h2 id="entry-title">Your tasks</h2>
        {status === 'live' && (
          <span className={`badge badge--${label.tone}`} title="Progress updates here without reloading">
            {label.text}
          </span>
        )}
      </div>
      <p className="muted">
        Entered as <strong>{entry.email}</strong>
      </p>
      <Eligibility entry={entry} status={status} places={places} firstCome={firstCome} />
      {status === 'live' && (
        <p className="muted">
          Press <strong>Go</strong> to open the host's site in a new tab and do the task there. This page
          counts it as soon as the site confirms it.
        </p>
      )}
      <TaskList entry={entry} canGo={status === 'live'} receipts={receipts} />
      <div className="row muted entry-id">
        <span>
          Your entry id: <code>{entry.participantId}</code>
        </span>
        <CopyButton text={entry.participantId} label="Copy entry id" />
      </div>
    </section>
  );
}
