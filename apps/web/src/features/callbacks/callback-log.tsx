import {
  CALLBACK_LOG_CODES,
  CALLBACK_LOG_SCAN,
  type CallbackLogFilter,
  EMAIL_MAX_LENGTH,
  REMARK_MAX_LENGTH,
} from '@proofdrop/contract';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { Field, SelectField } from '../../components/field';
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { logTime } from '../../lib/log-time';
import { type CallbackLogEntry, useCallbackLog, useLiveCallbacks } from './api';
import { choiceOf, isFiltered, isTrackId, typedOf, withChoice, withTyped } from './log-filter';
import { replayCommand } from './snippets';
import { verdictOf } from './verdict';

/** The project's callbacks, newest first and live, narrowed by `filter`, with older ones a click away. */
export function CallbackLog({
  projectId,
  apiKey,
  filter,
  onFilter,
}: {
  projectId: string;
  /** Signs a callback sent again (Send it again); the console is its owner's. */
  apiKey: string;
  filter: CallbackLogFilter;
  onFilter: (filter: CallbackLogFilter) => void;
}) {
  const [paused, setPaused] = useState(false);
  const log = useCallbackLog(projectId, filter);
  const stream = useLiveCallbacks(projectId, filter, log.data, paused);
  const entries = log.data?.pages.flatMap((page) => page.callbacks) ?? [];
  const filtered = isFiltered(filter);
  return (
    <section className="card stack" aria-labelledby="log-title">
      <div className="item-row">
        <h2 id="log-title">Callbacks received</h2>
        <div className="row">
          <output className="muted">
            {paused ? 'Paused' : stream === 'open' ? '● Live' : 'Connecting…'}
          </output>
          <Button variant="secondary" size="small" aria-pressed={paused} onClick={() => setPaused(!paused)}>
            {paused ? 'Resume' : 'Pause'}
          </Button>
        </div>
      </div>
      <LogFilters filter={filter} onFilter={onFilter} />
      {log.isPending ? (
        <LoadingState label="Loading callbacks…" />
      ) : log.isError && !log.isFetchNextPageError ? (
        <ErrorState error={log.error} retry={() => log.refetch()} />
      ) : entries.length > 0 ? (
        <ol className="item-list" aria-label="Callbacks, newest first">
          {entries.map((entry) => (
            <CallbackItem key={entry.id} entry={entry} apiKey={apiKey} />
          ))}
        </ol>
      ) : !filtered ? (
        <EmptyState title="No callbacks yet">
          <p>Start a test above and send its callback: it appears here as it arrives.</p>
        </EmptyState>
      ) : (
        <EmptyState title={log.hasNextPage ? 'None found yet' : 'No callback matches'}>
          <p>
            {log.hasNextPage
              ? `No match among the newest callbacks looked at; older ones are searched ${CALLBACK_LOG_SCAN.toLocaleString('en')} at a time.`
              : 'Matching callbacks show up here as they arrive.'}
          </p>
        </EmptyState>
      )}
      {log.isFetchNextPageError && <ErrorNotice error={log.error} />}
      {log.hasNextPage && (
        <Button
          variant="secondary"
          busy={log.isFetchingNextPage}
          onClick={() => log.fetchNextPage()}
          className="callback-log__more"
        >
          {filtered ? 'Search older callbacks' : 'Load older callbacks'}
        </Button>
      )}
    </section>
  );
}

/** What the log shows: every callback, an outcome or one code, for every track_id and remark or one. */
function LogFilters({
  filter,
  onFilter,
}: {
  filter: CallbackLogFilter;
  onFilter: (filter: CallbackLogFilter) => void;
}) {
  const [typed, setTyped] = useState(typedOf(filter));
  const [typedError, setTypedError] = useState<string | undefined>();
  // Values set from elsewhere (a test's button, Clear, the address) replace what was typed.
  const [applied, setApplied] = useState(filter);
  if (
    applied.trackId !== filter.trackId ||
    applied.remark !== filter.remark ||
    applied.email !== filter.email
  ) {
    setApplied(filter);
    setTyped(typedOf(filter));
    setTypedError(undefined);
  }
  function applyTyped(e: FormEvent) {
    e.preventDefault();
    if (typed.trackId.trim() !== '' && !isTrackId(typed.trackId.trim())) {
      setTypedError('A track_id is 1–128 characters, with no spaces, & or =');
      return;
    }
    setTypedError(undefined);
    onFilter(withTyped(filter, typed));
  }
  function clear() {
    setTyped(typedOf({}));
    setTypedError(undefined);
    onFilter({});
  }
  return (
    <form className="form-inline" onSubmit={applyTyped} aria-label="Filter callbacks" noValidate>
      <SelectField
        label="Show"
        value={choiceOf(filter)}
        onChange={(choice) => onFilter(withChoice(filter, choice))}
      >
        <option value="all">All callbacks</option>
        <option value="outcome:accepted">Accepted (answered 200)</option>
        <option value="outcome:refused">Refused</option>
        <optgroup label="One verdict">
          {CALLBACK_LOG_CODES.map((code) => (
            <option key={code} value={`code:${code}`}>
              {verdictOf(code).label}
            </option>
          ))}
        </optgroup>
      </SelectField>
      <Field
        label="track_id"
        value={typed.trackId}
        onChange={(e) => setTyped({ ...typed, trackId: e.target.value })}
        error={typedError}
        spellCheck={false}
        autoComplete="off"
      />
      <Field
        label="remark"
        value={typed.remark}
        maxLength={REMARK_MAX_LENGTH}
        onChange={(e) => setTyped({ ...typed, remark: e.target.value })}
        spellCheck={false}
        autoComplete="off"
      />
      <Field
        label="Participant email"
        type="email"
        value={typed.email}
        maxLength={EMAIL_MAX_LENGTH}
        onChange={(e) => setTyped({ ...typed, email: e.target.value })}
        spellCheck={false}
        autoComplete="off"
      />
      <div className="row">
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {isFiltered(filter) && (
          <Button variant="secondary" onClick={clear}>
            Clear
          </Button>
        )}
      </div>
    </form>
  );
}

function CallbackItem({ entry, apiKey }: { entry: CallbackLogEntry; apiKey: string }) {
  const verdict = verdictOf(entry.code);
  return (
    <li className="item-list__item stack callback">
      <div className="item-row">
        <span className={`badge badge--${verdict.tone}`}>
          <span aria-hidden="true">{verdict.icon}</span> {verdict.label}
        </span>
        <time className="muted" dateTime={entry.receivedAt}>
          {logTime(new Date(entry.receivedAt), new Date())}
        </time>
      </div>
      <p className="callback__facts">
        <code className="break">
          {entry.event ?? '—'} · {entry.trackId ?? 'no track_id'}
          {entry.remark !== null && ` · remark ${JSON.stringify(entry.remark)}`}
        </code>
      </p>
      {/* A refusal's detail already names a recognised mistake; the hint then stands out on its own. */}
      <p>{entry.hint ? entry.detail.replace(`: ${entry.hint}`, '') : entry.detail}</p>
      {entry.expectedCanonical && (
        <div>
          <div className="row">
            <p className="muted">We expected the signature of:</p>
            <CopyButton text={entry.expectedCanonical} label="Copy the string" size="small" />
          </div>
          <CodeBlock>{entry.expectedCanonical}</CodeBlock>
        </div>
      )}
      {entry.hint && (
        <p className="notice notice--warning">
          <strong>Likely mistake:</strong> {entry.hint}
        </p>
      )}
      {entry.trackId !== null && entry.event !== null && <SendAgain entry={entry} apiKey={apiKey} />}
    </li>
  );
}

/**
 * This callback as a curl command, signed with the key when asked: after a fix (a task added, the giveaway
 * published), the host sends the very callback that was refused, from a terminal, without the website.
 */
function SendAgain({ entry, apiKey }: { entry: CallbackLogEntry; apiKey: string }) {
  const [command, setCommand] = useState<string | undefined>();
  const sign = () => setCommand(replayCommand(window.location.origin, apiKey, entry, Date.now()));
  if (command === undefined) {
    return (
      <div>
        <Button variant="secondary" size="small" onClick={sign}>
          Send it again with curl
        </Button>
      </div>
    );
  }
  return (
    <div className="stack">
      <p className="muted">
        Signed with your API key just now (a v2 signature), so it works for 5 minutes. Run it in a terminal:
      </p>
      <CodeBlock>{command}</CodeBlock>
      <div className="row">
        <CopyButton text={command} label="Copy curl command" />
        <Button variant="secondary" size="small" onClick={sign}>
          Sign again
        </Button>
      </div>
    </div>
  );
}
