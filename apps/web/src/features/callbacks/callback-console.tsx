import { canonicalString } from '@proofdrop/protocol';
import { type FormEvent, useId, useState } from 'react';
import { useParams } from 'react-router';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { Field } from '../../components/field';
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { logTime } from '../../lib/log-time';
import { BackLink, HostPageError } from '../auth/host-area';
import { useProject, type Website } from '../projects/api';
import {
  type CallbackLogEntry,
  type CallbackTest,
  useCallbackLog,
  useLiveCallbacks,
  useStartTest,
} from './api';
import { integrationSnippets } from './snippets';
import { verdictOf } from './verdict';

/** Check API callback: a test link, the project's callbacks as they arrive, and code to copy. */
export function CallbackConsolePage() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  const [test, setTest] = useState<CallbackTest | null>(null);
  if (project.isPending) return <LoadingState label="Loading the project…" />;
  if (project.isError) return <HostPageError error={project.error} retry={() => project.refetch()} />;
  return (
    <div className="stack">
      <BackLink to={`/projects/${projectId}`}>{project.data.name}</BackLink>
      <h1>Check API callback</h1>
      <p className="muted">
        Start a test, open its link as a participant would, and send the callback from your website: it shows
        up below within a second, with what was wrong when it was refused.
      </p>
      <div className="console">
        <div className="stack console__main">
          <TestPanel projectId={projectId} websites={project.data.websites} test={test} onStarted={setTest} />
          <CallbackLog projectId={projectId} />
        </div>
        <Snippets test={test} />
      </div>
    </div>
  );
}

function TestPanel({
  projectId,
  websites,
  test,
  onStarted,
}: {
  projectId: string;
  websites: Website[];
  test: CallbackTest | null;
  onStarted: (test: CallbackTest) => void;
}) {
  const [websiteId, setWebsiteId] = useState(websites[0]?.id ?? '');
  const [event, setEvent] = useState('sign_up');
  const start = useStartTest(projectId);
  const websiteField = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    start.mutate({ ...(websiteId ? { websiteId } : {}), event }, { onSuccess: onStarted });
  }
  return (
    <section className="card stack" aria-labelledby="test-title">
      <h2 id="test-title">Test callback</h2>
      {websites.length === 0 ? (
        <p className="notice notice--warning">Add a website to the project first: the test link opens it.</p>
      ) : (
        <form className="form-inline" onSubmit={submit}>
          {websites.length > 1 && (
            <div className="field">
              <label className="field__label" htmlFor={websiteField}>
                Website
              </label>
              <select
                id={websiteField}
                className="input"
                value={websiteId}
                onChange={(e) => setWebsiteId(e.target.value)}
              >
                {websites.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <Field label="Test event" required value={event} onChange={(e) => setEvent(e.target.value)} />
          <Button type="submit" busy={start.isPending}>
            Check API callback
          </Button>
        </form>
      )}
      <ErrorNotice error={start.error} />
      {test && (
        <dl className="definition-list" aria-label="Test track_id">
          <dt>track_id</dt>
          <dd className="row">
            <code className="break">{test.trackId}</code>
            <CopyButton text={test.trackId} label="Copy track_id" />
          </dd>
          <dt>Ready link</dt>
          <dd className="row">
            <a className="break" href={test.link} target="_blank" rel="noreferrer">
              {test.link}
            </a>
            <CopyButton text={test.link} label="Copy link" />
          </dd>
          <dt>Signs</dt>
          <dd>
            <code className="break">
              {canonicalString({ trackId: test.trackId, event: test.event, remark: undefined })}
            </code>
          </dd>
        </dl>
      )}
    </section>
  );
}

function CallbackLog({ projectId }: { projectId: string }) {
  const [paused, setPaused] = useState(false);
  const log = useCallbackLog(projectId);
  const stream = useLiveCallbacks(projectId, log.data, paused);
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
      {log.isPending ? (
        <LoadingState label="Loading callbacks…" />
      ) : log.isError ? (
        <ErrorState error={log.error} retry={() => log.refetch()} />
      ) : log.data.callbacks.length === 0 ? (
        <EmptyState title="No callbacks yet">
          <p>Start a test above and send its callback: it appears here as it arrives.</p>
        </EmptyState>
      ) : (
        <ol className="item-list" aria-label="Callbacks, newest first">
          {log.data.callbacks.map((entry) => (
            <CallbackItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function CallbackItem({ entry }: { entry: CallbackLogEntry }) {
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
          <p className="muted">We expected the signature of:</p>
          <CodeBlock>{entry.expectedCanonical}</CodeBlock>
        </div>
      )}
      {entry.hint && (
        <p className="notice notice--warning">
          <strong>Likely mistake:</strong> {entry.hint}
        </p>
      )}
    </li>
  );
}

function Snippets({ test }: { test: CallbackTest | null }) {
  const snippets = integrationSnippets({
    baseUrl: window.location.origin,
    trackId: test?.trackId ?? 'TRACK_ID_FROM_THE_LINK',
    event: test?.event ?? 'sign_up',
  });
  return (
    <section className="card stack console__side" aria-labelledby="snippets-title">
      <h2 id="snippets-title">Send it from your server</h2>
      <p className="muted">
        Each reads the key from <code>PROOFDROP_API_KEY</code>. Server-side first: that is where the key is
        safe.
      </p>
      {snippets.map((snippet) => (
        <details key={snippet.id} className="snippet" open={snippet.id === 'node'}>
          <summary>{snippet.title}</summary>
          {snippet.warning && (
            <p className="notice notice--danger">
              <strong>Warning:</strong> {snippet.warning}
            </p>
          )}
          {snippet.run && (
            <>
              <p className="muted">Saved as a file, run it against this test with:</p>
              <CodeBlock>{snippet.run}</CodeBlock>
            </>
          )}
          <CodeBlock>{snippet.code}</CodeBlock>
          <CopyButton text={snippet.code} label={`Copy ${snippet.title}`} />
        </details>
      ))}
    </section>
  );
}
