import type { ParticipantRow } from '@proofdrop/contract';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/button';
import { TrophyIcon } from '../../components/icons';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { type GiveawayWithStats, useEntries } from './api';

const PAGE = 25;

export function EntriesTable({ giveaway }: { giveaway: GiveawayWithStats }) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const entries = useEntries(giveaway.id, search.trim(), offset, PAGE);
  const searchId = useId();
  const total = entries.data?.total ?? 0;

  return (
    <section className="card stack" aria-labelledby="participants-title">
      <h2 id="participants-title">Participants</h2>
      <div className="field">
        <label className="field__label" htmlFor={searchId}>
          Search by email
        </label>
        <input
          id={searchId}
          className="input"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setOffset(0);
          }}
        />
      </div>
      {entries.isPending ? (
        <LoadingState label="Loading participants…" />
      ) : entries.isError ? (
        <ErrorState error={entries.error} retry={() => entries.refetch()} />
      ) : entries.data.entries.length === 0 ? (
        <EmptyState title={search ? 'Nobody matches that search' : 'Nobody has joined yet'}>
          {!search && <p>Share the participant page: entries appear here as people join.</p>}
        </EmptyState>
      ) : (
        <>
          {/* Wider than a phone: it scrolls sideways in its own box rather than breaking words to fit. */}
          <section
            className="table-scroll"
            aria-label="Participants table"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls must take focus, or a keyboard cannot scroll it (WCAG 2.1.1)
            tabIndex={0}
          >
            <table className="table">
              <caption className="visually-hidden">Participants and their progress</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  {giveaway.tasks.map((task) => (
                    <th key={task.id} scope="col">
                      {task.name}
                    </th>
                  ))}
                  <th scope="col">Status</th>
                  <th scope="col">Signals</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.entries.map((entry) => (
                  <tr key={entry.participantId}>
                    <th scope="row">
                      <span>{entry.email}</span>
                      {/* "My likes don't show": what this entry's website sent, and what was answered. */}
                      <Link
                        className="table__link"
                        to={`/projects/${giveaway.projectId}/callbacks?${new URLSearchParams({ email: entry.email })}`}
                      >
                        Callbacks<span className="visually-hidden"> of {entry.email}</span>
                      </Link>
                    </th>
                    {giveaway.tasks.map((task) => {
                      const progress = entry.tasks.find((t) => t.taskId === task.id);
                      return (
                        <td key={task.id}>
                          {progress?.completed ? '✓ ' : ''}
                          {progress?.count ?? 0} / {task.requiredAmount}
                        </td>
                      );
                    })}
                    <td>
                      {entry.winnerRank !== null ? (
                        <>
                          <TrophyIcon /> Winner #{entry.winnerRank}
                        </>
                      ) : entry.eligible ? (
                        '✓ Eligible'
                      ) : giveaway.status === 'ended' || giveaway.status === 'drawn' ? (
                        'Not eligible'
                      ) : (
                        'In progress'
                      )}
                    </td>
                    <td className="table__prose">
                      <EntrySignals entry={entry} verifies={giveaway.requireVerifiedEmail} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <div className="item-row">
            <span className="muted">
              {offset + 1}–{offset + entries.data.entries.length} of {total}
            </span>
            <div className="row">
              <Button
                variant="secondary"
                size="small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Previous
              </Button>
              <Button
                variant="secondary"
                size="small"
                disabled={offset + PAGE >= total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Next
              </Button>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

/**
 * What a host may want to review before drawing, in words: signals, not verdicts. Many entries from one
 * network can be a shared office as well as one person's script.
 */
function EntrySignals({ entry, verifies }: { entry: ParticipantRow; verifies: boolean }) {
  const signals = [
    entry.emailVerified ? '✓ Email verified' : verifies ? 'Email not verified' : null,
    entry.networkEntries !== null && entry.networkEntries > 1
      ? `${entry.networkEntries} entries from this network`
      : null,
    entry.disposableEmail ? 'Disposable email' : null,
  ].filter((signal) => signal !== null);
  if (signals.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="signals">
      {signals.map((signal) => (
        <li key={signal}>{signal}</li>
      ))}
    </ul>
  );
}
