import { EDITABLE_FIELDS } from '@proofdrop/contract';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button } from '../../components/button';
import { Field } from '../../components/field';
import { ErrorNotice, LoadingState } from '../../components/states';
import { fieldError } from '../../lib/api';
import { useServerFeatures } from '../../lib/server-features';
import { useUnsavedChangesGuard } from '../../lib/unsaved-changes';
import { BackLink, HostPageError } from '../auth/host-area';
import { useProject, type Website } from '../projects/api';
import {
  type EditableField,
  type Giveaway,
  useCreateGiveaway,
  useEditGiveaway,
  useHostGiveaway,
} from './api';
import {
  createBody,
  editableLabel,
  emptyTask,
  formFromGiveaway,
  type GiveawayForm,
  PRESET_EVENTS,
  patchBody,
  prizesNote,
  rowKey,
  type TaskDraft,
} from './giveaway-form';

/** `/projects/:projectId/giveaways/new` */
export function NewGiveawayPage() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  if (project.isPending) return <LoadingState label="Loading the project…" />;
  if (project.isError) return <HostPageError error={project.error} retry={() => project.refetch()} />;
  return (
    <div className="stack">
      <BackLink to={`/projects/${projectId}`}>{project.data.name}</BackLink>
      <h1>New giveaway</h1>
      <GiveawayEditor projectId={projectId} websites={project.data.websites} />
    </div>
  );
}

/** `/giveaways/:giveawayId/edit` */
export function EditGiveawayPage() {
  const { giveawayId = '' } = useParams();
  const giveaway = useHostGiveaway(giveawayId);
  const project = useProject(giveaway.data?.projectId ?? '');
  if (giveaway.isPending || (giveaway.isSuccess && project.isPending)) {
    return <LoadingState label="Loading the giveaway…" />;
  }
  if (giveaway.isError) return <HostPageError error={giveaway.error} retry={() => giveaway.refetch()} />;
  if (project.isError) return <HostPageError error={project.error} retry={() => project.refetch()} />;
  return (
    <div className="stack">
      <BackLink to={`/giveaways/${giveawayId}`}>{giveaway.data.title}</BackLink>
      <h1>Edit giveaway</h1>
      {giveaway.data.editable.length === 0 ? (
        // An address kept from before, or typed: there is no form to fill.
        <p className="notice notice--info">
          This giveaway is {giveaway.data.status}: nothing about it can change any more.
        </p>
      ) : (
        <GiveawayEditor
          projectId={giveaway.data.projectId}
          websites={project.data?.websites ?? []}
          giveaway={giveaway.data}
        />
      )}
    </div>
  );
}

function GiveawayEditor({
  projectId,
  websites,
  giveaway,
}: {
  projectId: string;
  websites: Website[];
  giveaway?: Giveaway;
}) {
  // The form is filled once: the page's periodic refresh must not overwrite what the host is typing.
  const [initial] = useState<GiveawayForm>(() => formFromGiveaway(giveaway, websites[0]?.id ?? ''));
  const [form, setForm] = useState(initial);
  // By content: a change typed and then undone leaves nothing to lose.
  const allowLeaving = useUnsavedChangesGuard(JSON.stringify(form) !== JSON.stringify(initial));
  const create = useCreateGiveaway(projectId);
  const edit = useEditGiveaway(giveaway?.id ?? '');
  const navigate = useNavigate();
  const editable: readonly EditableField[] = giveaway?.editable ?? EDITABLE_FIELDS;
  const locked = (field: EditableField) => !editable.includes(field);
  const saving = giveaway ? edit : create;
  const update = (changes: Partial<GiveawayForm>) => setForm((f) => ({ ...f, ...changes }));
  const formRef = useRef<HTMLFormElement>(null);
  // After a refusal, focus (and so scroll to) the first field it names, else the sentence under the form:
  // on a phone either can be a long way from the button just pressed.
  useEffect(() => {
    const form = formRef.current;
    if (!saving.error || !form) return;
    const target =
      form.querySelector<HTMLElement>('[aria-invalid="true"]:not(:disabled)') ??
      form.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [saving.error]);
  const verifiedEmailError = fieldError(saving.error, 'requireVerifiedEmail', 'Require a verified email');
  const noMail = useServerFeatures().data?.sendsMail === false;
  const verifiedEmailErrorId = useId();
  const verifiedEmailNoteId = useId();
  const descriptionId = useId();
  const modeId = useId();
  const challengeId = useId();
  const prizesHintId = useId();
  const prizesFit = prizesNote(form);
  const protectionLocked = locked('entryChallenge');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (giveaway) {
      // Replaced, so Back from the saved giveaway does not reopen the form it was saved from.
      edit.mutate(patchBody(form, editable), {
        onSuccess: () => {
          allowLeaving();
          navigate(`/giveaways/${giveaway.id}`, { replace: true });
        },
      });
    } else {
      create.mutate(createBody(form), {
        onSuccess: (created) => {
          allowLeaving();
          navigate(`/giveaways/${created.id}`, { replace: true });
        },
      });
    }
  }

  if (websites.length === 0 && !giveaway) {
    return (
      <p className="notice notice--warning">
        Add a website to the project first: every task is done on one of its websites.
      </p>
    );
  }

  return (
    <form className="stack" onSubmit={submit} noValidate ref={formRef}>
      {giveaway && giveaway.status !== 'draft' && (
        <p className="notice notice--info">
          This giveaway is {giveaway.status}. You can still change {editableLabel(editable)}; the rest was
          fixed when it was published.
        </p>
      )}
      <section className="card stack" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <Field
          label="Title"
          required
          maxLength={200}
          error={fieldError(saving.error, 'title', 'Title')}
          value={form.title}
          disabled={locked('title')}
          onChange={(e) => update({ title: e.target.value })}
        />
        <div className="field">
          <label className="field__label" htmlFor={descriptionId}>
            Description
          </label>
          <textarea
            id={descriptionId}
            className="input"
            rows={4}
            maxLength={10_000}
            value={form.description}
            disabled={locked('description')}
            onChange={(e) => update({ description: e.target.value })}
          />
        </div>
        <div className="fields-row">
          <Field
            label="Starts at"
            type="datetime-local"
            hint={locked('startsAt') ? undefined : 'Empty: when you publish.'}
            error={fieldError(saving.error, 'startsAt', 'Starts at')}
            value={form.startsAt}
            disabled={locked('startsAt')}
            onChange={(e) => update({ startsAt: e.target.value })}
          />
          <Field
            label="Ends at"
            type="datetime-local"
            hint={
              locked('endsAt')
                ? undefined
                : locked('tasks')
                  ? 'Published, it may only move later.'
                  : 'Empty: when you press End.'
            }
            error={fieldError(saving.error, 'endsAt', 'Ends at')}
            value={form.endsAt}
            disabled={locked('endsAt')}
            onChange={(e) => update({ endsAt: e.target.value })}
          />
        </div>
      </section>

      <section className="card stack" aria-labelledby="winners-title">
        <h2 id="winners-title">Winners and prizes</h2>
        <div className="fields-row">
          <div className="field">
            <label className="field__label" htmlFor={modeId}>
              Winner mode
            </label>
            <select
              id={modeId}
              className="input"
              value={form.winnerMode}
              disabled={locked('winnerMode')}
              onChange={(e) => update({ winnerMode: e.target.value as GiveawayForm['winnerMode'] })}
            >
              <option value="lucky_draw">Lucky draw, provably fair</option>
              <option value="first_come">First to become eligible</option>
            </select>
          </div>
          <Field
            label="Number of winners"
            type="number"
            min={1}
            required
            error={fieldError(saving.error, 'winnerCount', 'Number of winners')}
            value={form.winnerCount}
            disabled={locked('winnerCount')}
            onChange={(e) => update({ winnerCount: e.target.value })}
          />
        </div>
        <p className="field__hint" id={prizesHintId}>
          Prizes go by rank, in this order: prize 1 to winner #1, prize 2 to winner #2, and so on. Winners
          ranked past the last prize get no named prize: to give every winner the same prize, add it once for
          each.
        </p>
        {prizesFit && (
          <p className="field__hint" id={`${prizesHintId}-fit`}>
            {prizesFit}
          </p>
        )}
        {form.prizes.map((prize, i) => (
          <div key={prize.key} className="form-inline">
            <Field
              label={`Prize ${i + 1}`}
              aria-describedby={prizesFit ? `${prizesHintId} ${prizesHintId}-fit` : prizesHintId}
              maxLength={200}
              value={prize.name}
              disabled={locked('prizes')}
              onChange={(e) =>
                update({
                  prizes: form.prizes.map((p) => (p.key === prize.key ? { ...p, name: e.target.value } : p)),
                })
              }
            />
            <Field
              label={`Prize ${i + 1}: details (optional)`}
              maxLength={2000}
              value={prize.description}
              disabled={locked('prizes')}
              onChange={(e) =>
                update({
                  prizes: form.prizes.map((p) =>
                    p.key === prize.key ? { ...p, description: e.target.value } : p,
                  ),
                })
              }
            />
            <Button
              variant="secondary"
              size="small"
              disabled={locked('prizes')}
              onClick={() => update({ prizes: form.prizes.filter((p) => p.key !== prize.key) })}
            >
              Remove prize {i + 1}
            </Button>
          </div>
        ))}
        <div>
          <Button
            variant="secondary"
            size="small"
            disabled={locked('prizes')}
            onClick={() => update({ prizes: [...form.prizes, { key: rowKey(), name: '', description: '' }] })}
          >
            Add prize
          </Button>
        </div>
      </section>

      <section className="card stack" aria-labelledby="protection-title">
        <h2 id="protection-title">Fair entries</h2>
        <div className="field">
          <label className="field__label" htmlFor={challengeId}>
            Bot protection
          </label>
          <span className="field__hint" id={`${challengeId}-hint`}>
            With proof of work, the participant's page solves a small puzzle before each join: a moment for a
            person, costly for a script making entries by the thousand.
          </span>
          <select
            id={challengeId}
            className="input"
            aria-describedby={`${challengeId}-hint`}
            value={form.entryChallenge}
            disabled={protectionLocked}
            onChange={(e) => update({ entryChallenge: e.target.value as GiveawayForm['entryChallenge'] })}
          >
            <option value="pow">Proof of work</option>
            <option value="none">None</option>
          </select>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.requireVerifiedEmail}
            disabled={protectionLocked || (noMail && !form.requireVerifiedEmail)}
            aria-invalid={verifiedEmailError ? true : undefined}
            aria-describedby={
              [verifiedEmailError ? verifiedEmailErrorId : '', verifiedEmailNoteId]
                .filter(Boolean)
                .join(' ') || undefined
            }
            onChange={(e) => update({ requireVerifiedEmail: e.target.checked })}
          />{' '}
          Require a verified email
        </label>
        {verifiedEmailError && (
          <p className="field__error" id={verifiedEmailErrorId}>
            {verifiedEmailError}
          </p>
        )}
        <p className="muted" id={verifiedEmailNoteId}>
          With a verified email, each participant gets a link by email; an entry counts once its link is
          opened.{' '}
          {noMail
            ? 'This server sends no mail (SMTP_URL is not set), so it cannot verify emails.'
            : 'This needs the server to send mail (SMTP_URL).'}
        </p>
      </section>

      <section className="card stack" aria-labelledby="tasks-title">
        <h2 id="tasks-title">Website tasks</h2>
        <p className="muted">
          Each task is proven by a signed callback from the website. Pick a preset event or type your own key
          (letters, digits, <code>_&nbsp;.&nbsp;:&nbsp;-</code>).
        </p>
        <datalist id="preset-events">
          {PRESET_EVENTS.map((event) => (
            <option key={event} value={event} />
          ))}
        </datalist>
        {form.tasks.length === 0 && <p className="muted">No tasks: anyone who joins is eligible at once.</p>}
        {form.tasks.map((task, i) => (
          <TaskRow
            key={task.key}
            index={i}
            task={task}
            websites={websites}
            locked={locked('tasks')}
            error={saving.error}
            onChange={(changed) =>
              update({ tasks: form.tasks.map((t) => (t.key === task.key ? changed : t)) })
            }
            onRemove={() => {
              // A refusal names tasks by their place, which the removal changes: it no longer applies.
              saving.reset();
              update({ tasks: form.tasks.filter((t) => t.key !== task.key) });
            }}
          />
        ))}
        <div>
          <Button
            variant="secondary"
            disabled={locked('tasks')}
            onClick={() => update({ tasks: [...form.tasks, emptyTask(websites[0]?.id ?? '', form.tasks)] })}
          >
            Add task
          </Button>
        </div>
      </section>

      <ErrorNotice error={saving.error} labelOf={editorLabel} />
      <div className="row">
        <Button type="submit" busy={saving.isPending}>
          {giveaway ? 'Save changes' : 'Create giveaway'}
        </Button>
      </div>
    </form>
  );
}

function TaskRow({
  index,
  task,
  websites,
  locked,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  task: TaskDraft;
  websites: Website[];
  locked: boolean;
  /** The last save's refusal, whose fields may name this task's. */
  error: unknown;
  onChange: (task: TaskDraft) => void;
  onRemove: () => void;
}) {
  const websiteId = useId();
  const knownWebsite = websites.some((w) => w.id === task.websiteId);
  return (
    <fieldset className="task-row fields-row">
      <legend>Task {index + 1}</legend>
      <div className="field">
        <label className="field__label" htmlFor={websiteId}>
          Website
        </label>
        <select
          id={websiteId}
          className="input"
          value={task.websiteId}
          disabled={locked}
          onChange={(e) => onChange({ ...task, websiteId: e.target.value })}
        >
          {!knownWebsite && <option value={task.websiteId}>(a removed website)</option>}
          {websites.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Event"
        list="preset-events"
        required
        maxLength={64}
        value={task.event}
        disabled={locked}
        hint="sign_up, deposit, purchase, click, play_game, or your own"
        error={fieldError(error, `tasks.${index}.event`, 'Event')}
        onChange={(e) => onChange({ ...task, event: e.target.value })}
      />
      <Field
        label="Task name"
        required
        maxLength={200}
        placeholder="Create an account"
        error={fieldError(error, `tasks.${index}.name`, 'Task name')}
        value={task.name}
        disabled={locked}
        onChange={(e) => onChange({ ...task, name: e.target.value })}
      />
      <Field
        label="Required amount"
        type="number"
        min={1}
        required
        error={fieldError(error, `tasks.${index}.requiredAmount`, 'Required amount')}
        value={task.requiredAmount}
        disabled={locked}
        onChange={(e) => onChange({ ...task, requiredAmount: e.target.value })}
      />
      <div>
        <Button variant="secondary" size="small" disabled={locked} onClick={onRemove}>
          Remove task {index + 1}
        </Button>
      </div>
    </fieldset>
  );
}

const EDITOR_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  startsAt: 'Starts at',
  endsAt: 'Ends at',
  winnerMode: 'Winner mode',
  winnerCount: 'Number of winners',
  prizes: 'Prizes',
  entryChallenge: 'Bot protection',
  requireVerifiedEmail: 'Require a verified email',
  websiteId: 'Website',
  event: 'Event',
  name: 'Task name',
  requiredAmount: 'Required amount',
};

/** A refused field's label in this form: `tasks.1.event` is task 2's Event, `prizes.0.name` prize 1. */
function editorLabel(field: string): string | undefined {
  const [first, index, rest] = field.split('.');
  if (first === 'tasks' && index !== undefined && rest !== undefined && EDITOR_LABELS[rest]) {
    return `Task ${Number(index) + 1}: ${EDITOR_LABELS[rest]}`;
  }
  if (first === 'prizes' && index !== undefined) return `Prize ${Number(index) + 1}`;
  return index === undefined ? EDITOR_LABELS[field] : undefined;
}
