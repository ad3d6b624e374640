import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import app code here.

/**
 * The PostgreSQL writer's batch as one round trip: `proofdrop_write_batch` runs a whole batch of counts,
 * log rows and track links as one statement, so in one transaction of its own, and commits it when it
 * returns. The statement-by-statement writer needed several round trips per count and a handful more per
 * batch, each waiting on the network while the batch's row locks were held.
 *
 * What it does is what writer/apply.ts and writer/commit-batch.ts do on SQLite, in the same order:
 * operations run in the lock order the caller gives (`lock_order`, indexes into `ops`), a count locks its
 * participant before anything else, log ids are taken under the log-order lock and handed out in the
 * order asked, and the live notifications go out with the commit. The wording of the log's detail comes
 * from the caller (`messages`, format() templates: %1$s the count, %2$s the required amount), so the
 * sentences a host reads have one source.
 *
 * Each SQL statement in a PL/pgSQL function takes a fresh snapshot at read committed, so the reads after
 * the participant's lock see the previous writer's commit, as the separate statements did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    create function proofdrop_notify(channel text, process_id text, kind text, key text, ids text[])
    returns void language plpgsql as $fn$
    declare
      chunk text[] := '{}';
      size integer := 0;
      id text;
    begin
      -- A NOTIFY payload must stay under 8000 bytes: long lists go in several.
      foreach id in array ids loop
        if size + length(id) > 7000 and cardinality(chunk) > 0 then
          perform pg_notify(channel, json_build_object('from', process_id,
            'message', json_build_object('kind', kind, key, chunk))::text);
          chunk := '{}';
          size := 0;
        end if;
        chunk := chunk || id;
        size := size + octet_length(id) + 3;
      end loop;
      if cardinality(chunk) > 0 then
        perform pg_notify(channel, json_build_object('from', process_id,
          'message', json_build_object('kind', kind, key, chunk))::text);
      end if;
    end
    $fn$`.execute(db);

  await sql`
    create function proofdrop_iso_time(at bigint) returns text language sql immutable as $fn$
      select to_char((timestamptz 'epoch' + at * interval '1 millisecond') at time zone 'UTC',
                     'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    $fn$`.execute(db);

  await sql`
    create function proofdrop_enqueue_webhook(project text, type text, at bigint, data json)
    returns void language sql as $fn$
      insert into webhook_messages
        (id, endpoint_id, event_type, payload, created_at, state, attempts, next_attempt_at, delivered_at)
      select 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.id, type,
             json_build_object('type', type, 'timestamp', proofdrop_iso_time(at), 'data', data)::text,
             at, 'pending', 0, at, null
      from webhook_endpoints e
      where e.project_id = project and e.enabled = 1 and e.events::jsonb ? type
    $fn$`.execute(db);

  await sql`
    create function proofdrop_write_batch(
      ops jsonb, lock_order integer[], messages text[], channel text, process_id text
    )
    returns table (log_id bigint, code text, count integer, eligible boolean, replayed boolean,
                   awaiting_proof boolean, track_id text)
    language plpgsql as $fn$
    #variable_conflict use_column
    declare
      n integer := jsonb_array_length(ops);
      i integer;
      j integer;
      op jsonb;
      at bigint;
      required integer;
      pid text;
      gid text;
      tid text;
      st record;
      before integer;
      added integer;
      incomplete bigint;
      proven boolean;
      marked bigint;
      message integer;
      codes text[] := array_fill(null::text, array[n]);
      counts integer[] := array_fill(null::integer, array[n]);
      eligibles boolean[] := array_fill(null::boolean, array[n]);
      replays boolean[] := array_fill(null::boolean, array[n]);
      awaitings boolean[] := array_fill(null::boolean, array[n]);
      details text[] := array_fill(null::text, array[n]);
      tracks text[] := array_fill(null::text, array[n]);
      ids bigint[] := array_fill(null::bigint, array[n]);
      logged integer[];
      taken bigint[];
      projects text[] := '{}';
      progressed text[] := '{}';
    begin
      foreach j in array lock_order loop
        op := ops -> j;
        i := j + 1;
        if op ->> 'kind' = 'track' then
          insert into track_ids (track_id, project_id, website_id, giveaway_id, participant_id, created_at)
          values (op ->> 'track_id', op ->> 'project_id', op ->> 'website_id', op ->> 'giveaway_id',
                  op ->> 'participant_id', (op ->> 'created_at')::bigint)
          on conflict do nothing;
          tracks[i] := op ->> 'track_id';
          if op ->> 'participant_id' is not null then
            select coalesce(max(t.track_id), tracks[i]) into tid from track_ids t
            where t.participant_id = op ->> 'participant_id' and t.website_id = op ->> 'website_id';
            tracks[i] := tid;
          end if;
          continue;
        end if;
        if not (op ->> 'project_id' = any(projects)) then projects := projects || (op ->> 'project_id'); end if;
        if op ->> 'kind' = 'log' then
          codes[i] := op ->> 'code';
          details[i] := op ->> 'detail';
          continue;
        end if;

        at := (op ->> 'received_at')::bigint;
        required := (op ->> 'required')::integer;
        pid := op ->> 'participant_id';
        gid := op ->> 'giveaway_id';
        eligibles[i] := false;
        replays[i] := false;
        awaitings[i] := false;
        select g.status, g.starts_at, g.ends_at, d.frozen_at, g.require_verified_email, p.email_verified_at
        into st
        from participants p
        join giveaways g on g.id = p.giveaway_id
        join giveaway_draws d on d.giveaway_id = g.id
        where p.id = pid and g.id = gid
        for no key update of p for share of g, d;
        if not found or st.frozen_at is not null or st.status <> 'live'
           or (st.ends_at is not null and at >= st.ends_at)
           or (st.starts_at is not null and at < st.starts_at) then
          codes[i] := 'giveaway_not_live';
          counts[i] := 0;
          message := 5;
        else
          if op ->> 'replay_sign' is not null then
            insert into callback_replays as r (track_id, sign, expires_at)
            values (op ->> 'track_id', op ->> 'replay_sign', (op ->> 'replay_expires_at')::bigint)
            on conflict (track_id, sign) do update set expires_at = excluded.expires_at
            where r.expires_at <= at;
            replays[i] := not found;
          end if;
          select tp.count into before from task_progress tp
          where tp.task_id = op ->> 'task_id' and tp.participant_id = pid;
          before := coalesce(before, 0);
          if replays[i] then
            codes[i] := 'duplicate';
            counts[i] := least(before, required);
            message := 6;
          elsif before >= required then
            codes[i] := 'duplicate';
            counts[i] := required;
            message := 7;
          else
            added := null;
            with unit as (
              insert into progress_units (task_id, participant_id, unit_key, created_at)
              values (op ->> 'task_id', pid, op ->> 'unit_key', at)
              on conflict do nothing returning task_id, participant_id
            )
            insert into task_progress as tp (task_id, participant_id, count, completed_at)
            select task_id, participant_id, 1, null from unit
            on conflict (participant_id, task_id) do update set count = tp.count + 1
            returning tp.count into added;
            if added is null then
              codes[i] := 'duplicate';
              counts[i] := before;
              message := 8;
            elsif added < required then
              codes[i] := 'recorded';
              counts[i] := added;
              message := 1;
            else
              codes[i] := 'completed';
              counts[i] := added;
              update task_progress set completed_at = at
              where task_id = op ->> 'task_id' and participant_id = pid and completed_at is null;
              select count(*) into incomplete from tasks t
              left join task_progress tp on tp.task_id = t.id and tp.participant_id = pid
              where t.giveaway_id = gid and tp.completed_at is null;
              proven := st.require_verified_email = 0 or st.email_verified_at is not null;
              eligibles[i] := incomplete = 0 and proven;
              awaitings[i] := incomplete = 0 and not proven;
              message := case when awaitings[i] then 2 when eligibles[i] then 3 else 4 end;
              perform proofdrop_enqueue_webhook(op ->> 'project_id', 'task.completed', at,
                json_build_object('giveawayId', gid, 'participantId', pid, 'taskId', op ->> 'task_id',
                                  'event', op ->> 'event', 'count', added));
              if eligibles[i] then
                marked := null;
                update participants
                set eligible_at = (select max(completed_at) from task_progress where participant_id = pid)
                where id = pid and eligible_at is null
                returning eligible_at into marked;
                if marked is not null then
                  perform proofdrop_enqueue_webhook(op ->> 'project_id', 'participant.eligible', at,
                    json_build_object('giveawayId', gid, 'participantId', pid,
                                      'eligibleAt', proofdrop_iso_time(marked)));
                end if;
              end if;
            end if;
          end if;
        end if;
        details[i] := format(messages[message], counts[i], required);
        if codes[i] in ('recorded', 'completed') and not (pid = any(progressed)) then
          progressed := progressed || pid;
        end if;
      end loop;

      -- Log ids grow in commit order across processes: taken under a lock held to the commit.
      logged := array(select k from generate_series(1, n) k where codes[k] is not null order by k);
      if cardinality(logged) > 0 then
        perform pg_advisory_xact_lock(482184032102);
        taken := array(select nextval(pg_get_serial_sequence('callback_log', 'id')) as id
                       from generate_series(1, cardinality(logged)) order by id);
        for k in 1 .. cardinality(logged) loop
          ids[logged[k]] := taken[k];
        end loop;
        insert into callback_log
          (id, project_id, received_at, track_id, event, remark, code, detail, expected_canonical, hint)
        select ids[k], o ->> 'project_id', (o ->> 'received_at')::bigint, o ->> 'track_id', o ->> 'event',
               o ->> 'remark', codes[k], details[k], o ->> 'expected_canonical', o ->> 'hint'
        from unnest(logged) k, lateral (select ops -> (k - 1) as o) x
        order by k;
      end if;

      perform proofdrop_notify(channel, process_id, 'logged', 'projectIds', projects);
      perform proofdrop_notify(channel, process_id, 'progressed', 'participantIds', progressed);
      return query
        select ids[k], codes[k], counts[k], eligibles[k], replays[k], awaitings[k], tracks[k]
        from generate_series(1, n) k order by k;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop function proofdrop_write_batch(jsonb, integer[], text[], text, text)`.execute(db);
  await sql`drop function proofdrop_enqueue_webhook(text, text, bigint, json)`.execute(db);
  await sql`drop function proofdrop_iso_time(bigint)`.execute(db);
  await sql`drop function proofdrop_notify(text, text, text, text, text[])`.execute(db);
}
