import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, buttonClass } from '../../components/button';
import { ConfirmButton } from '../../components/confirm-button';
import { Field } from '../../components/field';
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { BackLink, HostPageError } from '../auth/host-area';
import { useProjectGiveaways } from '../giveaways/api';
import { PhaseBadge } from '../giveaways/phase-badge';
import { WebhooksPanel } from '../webhooks/webhooks-panel';
import { type ProjectWithWebsites, useDeleteProject, useProject, useRenameProject } from './api';
import { ApiKeyPanel } from './api-key-panel';
import { SignatureVersionField } from './signature-version';
import { WebsitesPanel } from './websites-panel';

/** `/projects/:projectId`: the key, the websites, the giveaways and the webhooks of one project. */
export function ProjectPage() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  if (project.isPending) return <LoadingState label="Loading the project…" />;
  if (project.isError) return <HostPageError error={project.error} retry={() => project.refetch()} />;
  return (
    <div className="stack">
      <BackLink to="/projects">Projects</BackLink>
      <ProjectHeader project={project.data} />
      <GiveawaysPanel projectId={projectId} hasWebsites={project.data.websites.length > 0} />
      <ApiKeyPanel project={project.data} />
      <section className="card stack" aria-labelledby="check-title">
        <h2 id="check-title">Integration</h2>
        <p className="muted">
          Send a test callback from your website and see, live, whether it verifies and why not.
        </p>
        <div>
          <Link className={buttonClass('secondary')} to={`/projects/${projectId}/callbacks`}>
            Open the Check API callback console
          </Link>
        </div>
        <SignatureVersionField project={project.data} />
      </section>
      <WebsitesPanel projectId={projectId} websites={project.data.websites} />
      <WebhooksPanel projectId={projectId} />
    </div>
  );
}

function ProjectHeader({ project }: { project: ProjectWithWebsites }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(project.name);
  const rename = useRenameProject(project.id);
  const remove = useDeleteProject(project.id);
  const navigate = useNavigate();
  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate(name, { onSuccess: () => setRenaming(false) });
  }
  return (
    <div className="stack">
      {renaming ? (
        <form className="form-inline" onSubmit={submit} aria-label="Rename the project">
          <Field
            label="Project name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Button type="submit" busy={rename.isPending}>
            Save
          </Button>
          <Button variant="secondary" onClick={() => setRenaming(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <div className="item-row">
          <h1>{project.name}</h1>
          <div className="row">
            <Button
              variant="secondary"
              size="small"
              onClick={() => {
                setName(project.name);
                setRenaming(true);
              }}
            >
              Rename
            </Button>
            <ConfirmButton
              question="Delete this project, its websites, giveaways and logs?"
              confirmLabel="Yes, delete the project"
              busy={remove.isPending}
              onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/projects') })}
            >
              Delete project
            </ConfirmButton>
          </div>
        </div>
      )}
      <ErrorNotice error={rename.error ?? remove.error} />
    </div>
  );
}

function GiveawaysPanel({ projectId, hasWebsites }: { projectId: string; hasWebsites: boolean }) {
  const giveaways = useProjectGiveaways(projectId);
  return (
    <section className="card stack" aria-labelledby="giveaways-title">
      <div className="item-row">
        <h2 id="giveaways-title">Giveaways</h2>
        {hasWebsites && (
          <Link className={buttonClass()} to={`/projects/${projectId}/giveaways/new`}>
            New giveaway
          </Link>
        )}
      </div>
      {giveaways.isPending ? (
        <LoadingState label="Loading giveaways…" />
      ) : giveaways.isError ? (
        <ErrorState error={giveaways.error} retry={() => giveaways.refetch()} />
      ) : giveaways.data.giveaways.length === 0 ? (
        <EmptyState title="No giveaways yet">
          <p>
            {hasWebsites
              ? 'Create one: its tasks are done on your websites and proven by signed callbacks.'
              : 'Add a website below first: every task is done on one of your websites.'}
          </p>
        </EmptyState>
      ) : (
        <ul className="item-list">
          {giveaways.data.giveaways.map((g) => (
            <li key={g.id} className="item-list__item item-row">
              <Link to={`/giveaways/${g.id}`}>
                <strong>{g.title}</strong>
              </Link>
              <PhaseBadge phase={g.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
