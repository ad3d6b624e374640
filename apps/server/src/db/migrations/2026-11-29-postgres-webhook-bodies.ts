import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import app code here.

/**
 * A webhook body as JavaScript's JSON.stringify writes it, for the events the PostgreSQL batch function
 * stores (a count's task.completed and participant.eligible): every other event is built in JavaScript,
 * and `json_build_object(…)::text` wrote `{"type" : "task.completed", …}`, so a receiver saw two shapes of
 * body for one event (each signed as sent, so both verified). `data` comes in flat, as the batch function
 * builds it; its keys keep their order (json_each over `json`, not `jsonb`, which would sort them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    create or replace function proofdrop_enqueue_webhook(project text, type text, at bigint, data json)
    returns void language sql as $fn$
      insert into webhook_messages
        (id, endpoint_id, event_type, payload, created_at, state, attempts, next_attempt_at, delivered_at)
      select 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.id, type,
             '{"type":' || to_json(type)::text
               || ',"timestamp":' || to_json(proofdrop_iso_time(at))::text
               || ',"data":{' || coalesce((
                    select string_agg(to_json(f.key)::text || ':' || f.value::text, ',' order by f.n)
                    from json_each(data) with ordinality as f(key, value, n)
                  ), '') || '}}',
             at, 'pending', 0, at, null
      from webhook_endpoints e
      where e.project_id = project and e.enabled = 1 and e.events::jsonb ? type
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    create or replace function proofdrop_enqueue_webhook(project text, type text, at bigint, data json)
    returns void language sql as $fn$
      insert into webhook_messages
        (id, endpoint_id, event_type, payload, created_at, state, attempts, next_attempt_at, delivered_at)
      select 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.id, type,
             json_build_object('type', type, 'timestamp', proofdrop_iso_time(at), 'data', data)::text,
             at, 'pending', 0, at, null
      from webhook_endpoints e
      where e.project_id = project and e.enabled = 1 and e.events::jsonb ? type
    $fn$`.execute(db);
}
