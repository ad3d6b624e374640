import { canonicalString } from '@proofdrop/protocol';
import { type FormEvent, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { CopyButton } from '../../components/copy-button';
import { Field, SelectField } from '../../components/field';
import { ErrorNotice, LoadingState } from '../../components/states';
import { BackLink, HostPageError } from '../auth/host-area';
import { useProject, type Website } from '../projects/api';
import { type CallbackLogFilter, type CallbackTest, useStartTest } from './api';
import { CallbackLog } from './callback-log';
import { filterOf, paramsOf } from './log-filter';
import { integrationSnippets } from './snippets';

/** The log's filter, kept in the address: a filtered view can be reloaded, shared and gone back from. */
function useLogFilter(): [CallbackLogFilter, (filter: CallbackLogFilter) => void] {
  const [params, setParams] = useSearchParams();
  return [filterOf(params), (filter) => setParams(paramsOf(filter), { replace: true })];
}

/** Check API callback: a test link, the project's callbacks as they arrive, and code to copy. */
export function CallbackConsolePage() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  const [test, setTest] = useState<CallbackTest | null>(null);
  const [filter, setFilter] = useLogFilter();
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
          <TestPanel
            projectId={projectId}
            websites={project.data.websites}
            test={test}
            onStarted={setTest}
            onShowOnly={(trackId) => setFilter({ trackId })}
          />
          <CallbackLog
            projectId={projectId}
            apiKey={project.data.apiKey}
            filter={filter}
            onFilter={setFilter}
          />
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
  onShowOnly,
}: {
  projectId: string;
  websites: Website[];
  test: CallbackTest | null;
  onStarted: (test: CallbackTest) => void;
  onShowOnly: (trackId: string) => void;
}) {
  const [websiteId, setWebsiteId] = useState(websites[0]?.id ?? '');
  const [event, setEvent] = useState('sign_up');
  const start = useStartTest(projectId);
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
            <SelectField label="Website" value={websiteId} onChange={setWebsiteId}>
              {websites.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </SelectField>
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
          <dd>
            <Button variant="secondary" size="small" onClick={() => onShowOnly(test.trackId)}>
              Show only this test's callbacks
            </Button>
          </dd>
        </dl>
      )}
    </section>
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
