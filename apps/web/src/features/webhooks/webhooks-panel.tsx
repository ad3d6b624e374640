import { WEBHOOK_EVENTS, type WebhookEvent } from '@proofdrop/contract';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmButton } from '../../components/confirm-button';
import { Field, SelectField } from '../../components/field';
import { DEFAULT_GRACE_HOURS, GraceSelect, graceLabel } from '../../components/grace-select';
import { SecretValue } from '../../components/secret-value';
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../components/states';
import { fieldError } from '../../lib/api';
import { formatDateTime } from '../../lib/date-time';
import {
  type DeliveryState,
  isBeingSent,
  useAddEndpoint,
  useDeleteEndpoint,
  useDeliveries,
  useEndpoints,
  useRedeliver,
  useRotateSecret,
  useSendTest,
  useUpdateEndpoint,
  type WebhookEndpoint,
} from './api';

export function WebhooksPanel({ projectId }: { projectId: string }) {
  const endpoints = useEndpoints(projectId);
  return (
    <section className="card stack" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Proofdrop posts joins, completed tasks, eligibility, the end and the winners to your endpoints, signed
        the Standard Webhooks way.
      </p>
      {endpoints.isPending ? (
        <LoadingState label="Loading webhook endpoints…" />
      ) : endpoints.isError ? (
        <ErrorState error={endpoints.error} retry={() => endpoints.refetch()} />
      ) : endpoints.data.endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints" />
      ) : (
        <ul className="item-list">
          {endpoints.data.endpoints.map((endpoint) => (
            <EndpointItem key={endpoint.id} projectId={projectId} endpoint={endpoint} />
          ))}
        </ul>
      )}
      <AddEndpointForm projectId={projectId} />
    </section>
  );
}

function EndpointItem({ projectId, endpoint }: { projectId: string; endpoint: WebhookEndpoint }) {
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [secretShown, setSecretShown] = useState(false);
  const [editingEvents, setEditingEvents] = useState(false);
  const update = useUpdateEndpoint(projectId);
  const remove = useDeleteEndpoint(projectId);
  const sendTest = useSendTest(projectId, endpoint.id);
  const [deliveryState, setDeliveryState] = useState<DeliveryState | ''>('');
  const failure = update.error ?? remove.error ?? sendTest.error;
  const turn = (enabled: boolean) => update.mutate({ endpointId: endpoint.id, patch: { enabled } });
  return (
    <li className="item-list__item stack">
      <div className="item-row">
        <div className="item-row__main">
          <strong className="break">{endpoint.url}</strong>
          <span className="muted">{endpoint.events.join(', ')}</span>
        </div>
        <span className={`badge ${endpoint.enabled ? 'badge--success' : 'badge--danger'}`}>
          {endpoint.enabled ? '✓ Enabled' : '✗ Disabled'}
        </span>
      </div>
      {endpoint.disabledReason && <p className="notice notice--warning">{endpoint.disabledReason}</p>}
      <span className="muted">Secret</span>
      <SecretValue
        secret={endpoint.secret}
        revealed={secretShown}
        onRevealedChange={setSecretShown}
        name="secret"
      />
      <RotateSecret
        projectId={projectId}
        endpointId={endpoint.id}
        previousSecretExpiresAt={endpoint.previousSecretExpiresAt}
      />
      <div className="row">
        <Button
          variant="secondary"
          size="small"
          aria-expanded={showDeliveries}
          onClick={() => {
            // The test's notice points at the deliveries: it goes with them.
            if (showDeliveries) sendTest.reset();
            setShowDeliveries(!showDeliveries);
          }}
        >
          {showDeliveries ? 'Hide deliveries' : 'Deliveries'}
        </Button>
        {endpoint.enabled ? (
          <Button
            variant="secondary"
            size="small"
            busy={sendTest.isPending}
            onClick={() =>
              sendTest.mutate(undefined, {
                // A test starts pending: the list shows every state, so it is seen arriving and answered.
                onSuccess: () => {
                  setDeliveryState('');
                  setShowDeliveries(true);
                },
              })
            }
          >
            Send test event
          </Button>
        ) : (
          <Button size="small" busy={update.isPending} onClick={() => turn(true)}>
            Enable
          </Button>
        )}
        <Button
          variant="secondary"
          size="small"
          aria-expanded={editingEvents}
          onClick={() => setEditingEvents(!editingEvents)}
        >
          Edit events
        </Button>
        {endpoint.enabled && (
          <Button variant="secondary" size="small" busy={update.isPending} onClick={() => turn(false)}>
            Turn off
          </Button>
        )}
        <ConfirmButton
          question="Delete this endpoint and its delivery log?"
          confirmLabel="Yes, delete"
          busy={remove.isPending}
          onConfirm={() => remove.mutate(endpoint.id)}
        >
          Delete
        </ConfirmButton>
      </div>
      {editingEvents && (
        <EditEvents projectId={projectId} endpoint={endpoint} onDone={() => setEditingEvents(false)} />
      )}
      <ErrorNotice error={failure} />
      {sendTest.isSuccess && (
        <output className="notice notice--success">
          Test event sent: its delivery below shows what your endpoint answered.
        </output>
      )}
      {showDeliveries && (
        <DeliveryList
          projectId={projectId}
          endpointId={endpoint.id}
          endpointEnabled={endpoint.enabled}
          state={deliveryState}
          onState={setDeliveryState}
        />
      )}
    </li>
  );
}

/**
 * A new secret, with the old one still signing alongside for the grace period chosen (Standard Webhooks'
 * multiple signatures), so the receiver can switch without dropping a delivery.
 */
function RotateSecret({
  projectId,
  endpointId,
  previousSecretExpiresAt,
}: {
  projectId: string;
  endpointId: string;
  previousSecretExpiresAt: string | null;
}) {
  const [graceHours, setGraceHours] = useState(DEFAULT_GRACE_HOURS);
  const rotate = useRotateSecret(projectId);
  const meaningId = useId();
  // Right after a rotation the list may not have refetched yet: the rotation's own answer is the newest.
  const until = rotate.isSuccess ? rotate.data.previousSecretExpiresAt : previousSecretExpiresAt;
  const oldSecretUntil = until && formatDateTime(until);
  return (
    <div className="stack">
      <div className="form-inline">
        <GraceSelect
          label="Old secret keeps signing for"
          value={graceHours}
          onChange={setGraceHours}
          describedBy={meaningId}
        />
        <ConfirmButton
          variant="primary"
          question={
            graceHours > 0 ? 'Replace the secret?' : 'Replace the secret? Your receiver must switch at once.'
          }
          confirmLabel="Yes, rotate secret"
          busy={rotate.isPending}
          onConfirm={() => rotate.mutate({ endpointId, graceHours })}
        >
          Rotate secret
        </ConfirmButton>
      </div>
      <p className="muted" id={meaningId}>
        {graceHours > 0
          ? `The old secret keeps signing alongside the new one for ${graceLabel(graceHours)}, so your receiver can switch in that time.`
          : 'Deliveries are signed with the new secret only, from now on.'}
      </p>
      {rotate.isSuccess ? (
        <output className="notice notice--success">
          New secret ready: copy it (Copy secret) into your receiver
          {oldSecretUntil
            ? `. The old one keeps signing until ${oldSecretUntil}.`
            : ' now; the old one no longer signs.'}
        </output>
      ) : (
        oldSecretUntil && (
          <p className="notice">
            The previous secret keeps signing alongside this one until {oldSecretUntil}.
          </p>
        )
      )}
      <ErrorNotice error={rotate.error} />
    </div>
  );
}

const STATE_CHOICES: { value: DeliveryState | ''; label: string }[] = [
  { value: '', label: 'All deliveries' },
  { value: 'failed', label: 'Failed (retries given up)' },
  { value: 'pending', label: 'Pending (to send or retry)' },
  { value: 'delivered', label: 'Delivered' },
];

function DeliveryList({
  projectId,
  endpointId,
  endpointEnabled,
  state,
  onState,
}: {
  projectId: string;
  endpointId: string;
  endpointEnabled: boolean;
  state: DeliveryState | '';
  onState: (state: DeliveryState | '') => void;
}) {
  const deliveries = useDeliveries(projectId, endpointId, endpointEnabled, state || undefined);
  const redeliver = useRedeliver(projectId, endpointId);
  const shown = deliveries.data?.pages.flatMap((page) => page.deliveries) ?? [];
  return (
    <div className="stack">
      <SelectField
        label="Deliveries to show"
        value={state}
        onChange={(value) => onState(value as DeliveryState | '')}
      >
        {STATE_CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError && !deliveries.isFetchNextPageError ? (
        <ErrorState error={deliveries.error} retry={() => deliveries.refetch()} />
      ) : shown.length === 0 ? (
        state === '' ? (
          <EmptyState title="Nothing sent yet">
            Deliveries appear here once an event happens, or a test event is sent.
          </EmptyState>
        ) : (
          <EmptyState title={deliveries.hasNextPage ? 'None found yet' : 'None in this state'} />
        )
      ) : (
        <ul className="item-list" aria-label="Deliveries">
          {shown.map((d) => {
            const last = d.attempts.at(-1);
            return (
              <li key={d.messageId} className="item-list__item item-row">
                <div className="item-row__main">
                  <span>
                    <strong>{d.eventType}</strong> · {d.state} ·{' '}
                    <time dateTime={d.createdAt}>{formatDateTime(d.createdAt)}</time>
                  </span>
                  <span className="muted">
                    {last
                      ? `Last try ${formatDateTime(last.at)}: ${last.status ?? 'no answer'}${last.error ? ` (${last.error})` : ''}`
                      : endpointEnabled && isBeingSent(d, Date.now())
                        ? 'sending…'
                        : 'not tried yet'}
                    {d.nextAttemptAt &&
                      d.attempts.length > 0 &&
                      ` · next try ${formatDateTime(d.nextAttemptAt)}`}
                  </span>
                </div>
                <Button
                  variant="secondary"
                  size="small"
                  busy={redeliver.isPending && redeliver.variables === d.messageId}
                  onClick={() => redeliver.mutate(d.messageId)}
                >
                  Redeliver
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {deliveries.isFetchNextPageError && <ErrorNotice error={deliveries.error} />}
      <ErrorNotice error={redeliver.error} />
      {deliveries.hasNextPage && (
        <div>
          <Button
            variant="secondary"
            size="small"
            busy={deliveries.isFetchingNextPage}
            onClick={() => deliveries.fetchNextPage()}
          >
            {state === '' ? 'Load older deliveries' : 'Search older deliveries'}
          </Button>
        </div>
      )}
    </div>
  );
}

function AddEndpointForm({ projectId }: { projectId: string }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<readonly WebhookEvent[]>(WEBHOOK_EVENTS);
  const add = useAddEndpoint(projectId);
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(
      { url, events: [...events] },
      {
        onSuccess: () => {
          setUrl('');
          setEvents(WEBHOOK_EVENTS);
        },
      },
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Add a webhook endpoint" noValidate>
      <Field
        label="Endpoint URL"
        type="url"
        required
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        placeholder="https://shop.example/hooks/proofdrop"
        error={fieldError(add.error, 'url', 'Endpoint URL')}
      />
      <EventChoice events={events} onEvents={setEvents} />
      <div>
        <Button type="submit" busy={add.isPending} disabled={events.length === 0}>
          Add endpoint
        </Button>
      </div>
      <ErrorNotice error={add.error} labelOf={(field) => (field === 'url' ? 'Endpoint URL' : undefined)} />
    </form>
  );
}

/** The events an endpoint receives, a box each, in the API's order. */
function EventChoice({
  events,
  onEvents,
}: {
  events: readonly WebhookEvent[];
  onEvents: (events: readonly WebhookEvent[]) => void;
}) {
  const toggle = (name: WebhookEvent, on: boolean) =>
    onEvents(WEBHOOK_EVENTS.filter((e) => (e === name ? on : events.includes(e))));
  return (
    <fieldset className="event-choice">
      <legend>Events it receives</legend>
      {WEBHOOK_EVENTS.map((name) => (
        <label key={name} className="checkbox">
          <input
            type="checkbox"
            checked={events.includes(name)}
            onChange={(e) => toggle(name, e.target.checked)}
          />
          <code>{name}</code>
        </label>
      ))}
    </fieldset>
  );
}

/** An endpoint's events, changed in place: from the next event on. */
function EditEvents({
  projectId,
  endpoint,
  onDone,
}: {
  projectId: string;
  endpoint: WebhookEndpoint;
  onDone: () => void;
}) {
  const update = useUpdateEndpoint(projectId);
  const [events, setEvents] = useState<readonly WebhookEvent[]>(
    WEBHOOK_EVENTS.filter((e) => endpoint.events.includes(e)),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ endpointId: endpoint.id, patch: { events: [...events] } }, { onSuccess: onDone });
  }
  return (
    <form className="stack" onSubmit={submit} aria-label={`Events of ${endpoint.url}`}>
      <EventChoice events={events} onEvents={setEvents} />
      <div className="row">
        <Button type="submit" size="small" busy={update.isPending} disabled={events.length === 0}>
          Save events
        </Button>
        <Button variant="secondary" size="small" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <ErrorNotice error={update.error} />
    </form>
  );
}
