import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmButton } from '../../components/confirm-button';
import { Field } from '../../components/field';
import { EmptyState, ErrorNotice } from '../../components/states';
import { fieldError } from '../../lib/api';
import { useAddWebsite, useEditWebsite, useRemoveWebsite, type Website } from './api';

export function WebsitesPanel({ projectId, websites }: { projectId: string; websites: Website[] }) {
  return (
    <section className="card stack" aria-labelledby="websites-title">
      <h2 id="websites-title">Websites</h2>
      <p className="muted">
        Where participants do the tasks. A task's Go button opens this link with <code>track_id</code> and{' '}
        <code>send</code> added.
      </p>
      {websites.length === 0 ? (
        <EmptyState title="No websites yet">
          <p>Add the page participants should land on, for example your sign-up page.</p>
        </EmptyState>
      ) : (
        <ul className="item-list">
          {websites.map((website) => (
            <WebsiteItem key={website.id} projectId={projectId} website={website} />
          ))}
        </ul>
      )}
      <AddWebsiteForm projectId={projectId} />
    </section>
  );
}

function WebsiteItem({ projectId, website }: { projectId: string; website: Website }) {
  const [editing, setEditing] = useState(false);
  const remove = useRemoveWebsite(projectId);
  return (
    <li className="item-list__item stack">
      {editing ? (
        <EditWebsiteForm projectId={projectId} website={website} done={() => setEditing(false)} />
      ) : (
        <div className="item-row">
          <div className="item-row__main">
            <strong>{website.name}</strong>
            <a className="break" href={website.url} target="_blank" rel="noreferrer">
              {website.url}
            </a>
          </div>
          <div className="row">
            <Button
              variant="secondary"
              size="small"
              onClick={() => setEditing(true)}
              aria-label={`Edit ${website.name}`}
            >
              Edit
            </Button>
            <ConfirmButton
              question={`Remove ${website.name}?`}
              confirmLabel="Yes, remove"
              busy={remove.isPending}
              onConfirm={() => remove.mutate(website.id)}
            >
              Remove
            </ConfirmButton>
          </div>
        </div>
      )}
      <ErrorNotice error={remove.error} />
    </li>
  );
}

function EditWebsiteForm({
  projectId,
  website,
  done,
}: {
  projectId: string;
  website: Website;
  done: () => void;
}) {
  const [name, setName] = useState(website.name);
  const [url, setUrl] = useState(website.url);
  const edit = useEditWebsite(projectId);
  function submit(event: FormEvent) {
    event.preventDefault();
    edit.mutate({ id: website.id, name, url }, { onSuccess: done });
  }
  return (
    <form className="stack" onSubmit={submit} aria-label={`Edit ${website.name}`} noValidate>
      <WebsiteFields name={name} url={url} onName={setName} onUrl={setUrl} refusal={edit.error} />
      <ErrorNotice error={edit.error} />
      <div className="row">
        <Button type="submit" size="small" busy={edit.isPending}>
          Save
        </Button>
        <Button variant="secondary" size="small" onClick={done}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function AddWebsiteForm({ projectId }: { projectId: string }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const add = useAddWebsite(projectId);
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(
      { name, url },
      {
        onSuccess: () => {
          setName('');
          setUrl('');
        },
      },
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="add-website-title" noValidate>
      <h3 id="add-website-title">Add a website</h3>
      <div className="form-inline">
        <WebsiteFields name={name} url={url} onName={setName} onUrl={setUrl} refusal={add.error} />
        <Button type="submit" busy={add.isPending}>
          Add website
        </Button>
      </div>
      <ErrorNotice error={add.error} />
    </form>
  );
}

/** A website's name and link, as adding and editing ask for them, each with what a refusal said of it. */
function WebsiteFields({
  name,
  url,
  onName,
  onUrl,
  refusal,
}: {
  name: string;
  url: string;
  onName: (name: string) => void;
  onUrl: (url: string) => void;
  refusal: unknown;
}) {
  return (
    <>
      <Field
        label="Website name"
        required
        maxLength={100}
        error={fieldError(refusal, 'name', 'Website name')}
        value={name}
        onChange={(e) => onName(e.target.value)}
        placeholder="Example Shop"
      />
      <Field
        label="Website URL"
        type="url"
        required
        error={fieldError(refusal, 'url', 'Website URL')}
        value={url}
        onChange={(e) => onUrl(e.target.value)}
        placeholder="https://shop.example/signup"
      />
    </>
  );
}
