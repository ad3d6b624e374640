import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../components/button';
import { Field } from '../../components/field';
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { InvitePanel } from '../auth/invite-panel';
import { useCreateProject, useProjects } from './api';

export function ProjectsPage() {
  const projects = useProjects();
  return (
    <div className="stack">
      <h1>Projects</h1>
      <p className="muted">
        A project holds one API key, the websites that prove tasks with it, and its giveaways.
      </p>
      <CreateProjectForm />
      <section className="card stack" aria-labelledby="projects-list">
        <h2 id="projects-list">Your projects</h2>
        {projects.isPending ? (
          <LoadingState label="Loading your projects…" />
        ) : projects.isError ? (
          <ErrorState error={projects.error} retry={() => projects.refetch()} />
        ) : projects.data.projects.length === 0 ? (
          <EmptyState title="No projects yet">
            <p>
              Create your first project above: it gives you the API key your website signs callbacks with.
            </p>
          </EmptyState>
        ) : (
          <ul className="item-list">
            {projects.data.projects.map((project) => (
              <li key={project.id} className="item-list__item item-row">
                <Link to={`/projects/${project.id}`}>
                  <strong>{project.name}</strong>
                </Link>
                <span className="muted">created {new Date(project.createdAt).toLocaleDateString()}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <InvitePanel />
    </div>
  );
}

function CreateProjectForm() {
  const [name, setName] = useState('');
  const create = useCreateProject();
  const navigate = useNavigate();
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(name, { onSuccess: (project) => navigate(`/projects/${project.id}`) });
  }
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="create-project">
      <h2 id="create-project">New project</h2>
      <div className="form-inline">
        <Field
          label="Project name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Example Shop"
        />
        <Button type="submit" busy={create.isPending}>
          Create project
        </Button>
      </div>
      <ErrorNotice error={create.error} />
    </form>
  );
}
