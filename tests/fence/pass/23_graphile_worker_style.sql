-- Pass corpus 23: graphile-worker style job queue functions, re-homed: functions hardened with
-- SET search_path (to pg_catalog, expert_network, pg_temp, and to ''), pg_notify and NOTIFY in trigger
-- bodies (they run when the application writes), SKIP LOCKED, and FOR UPDATE OF an alias.
create table expert_network.pp_jobs (
  id bigserial primary key,
  queue_name text,
  task_identifier text not null,
  payload json default '{}'::json not null,
  priority int default 0 not null,
  run_at timestamptz default now() not null,
  attempts int default 0 not null,
  max_attempts int default 25 not null,
  last_error text,
  locked_at timestamptz,
  locked_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index pp_jobs_priority_run_at_id_idx on expert_network.pp_jobs (priority, run_at, id);

create function expert_network.pp_add_job(
  identifier text,
  payload json = null,
  queue_name text = null,
  run_at timestamptz = null,
  max_attempts int = null
) returns expert_network.pp_jobs
language plpgsql volatile
set search_path to pg_catalog, expert_network, pg_temp
as $$
declare
  v_job expert_network.pp_jobs;
begin
  insert into expert_network.pp_jobs (task_identifier, payload, queue_name, run_at, max_attempts)
    values (identifier, coalesce(payload, '{}'::json), queue_name, coalesce(run_at, now()), coalesce(max_attempts, 25))
    returning * into v_job;
  return v_job;
end;
$$;

create function expert_network.pp_get_job(worker_id text, task_identifiers text[] = null)
returns expert_network.pp_jobs
language plpgsql volatile
set search_path = ''
as $$
declare
  v_job_id bigint;
  v_row expert_network.pp_jobs;
begin
  select j.id into v_job_id
    from expert_network.pp_jobs as j
    where j.locked_at is null
      and j.run_at <= pg_catalog.now()
      and j.attempts < j.max_attempts
      and (task_identifiers is null or j.task_identifier = any(task_identifiers))
    order by j.priority asc, j.run_at asc, j.id asc
    limit 1
    for update of j
    skip locked;

  if v_job_id is null then
    return null;
  end if;

  update expert_network.pp_jobs
    set attempts = attempts + 1, locked_by = worker_id, locked_at = pg_catalog.now()
    where id = v_job_id
    returning * into v_row;
  return v_row;
end;
$$;

create function expert_network.pp_tg_jobs__notify_new_jobs() returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  perform pg_notify('jobs:insert', '');
  return new;
end;
$$;

create function expert_network.pp_tg_jobs__notify_named() returns trigger
language plpgsql
as $$
begin
  NOTIFY pp_jobs_changed;
  return null;
end;
$$;

create trigger _900_notify_worker after insert on expert_network.pp_jobs
  for each statement execute procedure expert_network.pp_tg_jobs__notify_new_jobs();

create trigger _901_notify_named after update on expert_network.pp_jobs
  for each statement execute function expert_network.pp_tg_jobs__notify_named();

create function expert_network.pp_tg__update_timestamp() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at = greatest(pg_catalog.now(), old.updated_at + interval '1 millisecond');
  return new;
end;
$$;

create trigger _100_timestamps before update on expert_network.pp_jobs
  for each row execute procedure expert_network.pp_tg__update_timestamp();
