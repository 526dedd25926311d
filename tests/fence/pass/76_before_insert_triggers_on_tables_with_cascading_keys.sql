-- Pass corpus 76: a BEFORE INSERT trigger on every table whose foreign key cascades, as
-- logto-io/logto (commit 1fbc55441fd28d9e3e7d69c1522e7654dccfe99c) writes in
-- packages/schemas/tables/_functions.sql (`create function set_tenant_id() returns trigger as $$ begin
-- if new.tenant_id is not null then return new; end if; select tenants.id into new.tenant_id from
-- tenants where tenants.db_user = current_user; return new; end; $$ language plpgsql;`),
-- packages/schemas/tables/_after_each.sql (run after each table's file: `create trigger set_tenant_id
-- before insert on ${name} for each row execute procedure set_tenant_id();`, row level security, a
-- restrictive policy reading tenants) and packages/schemas/tables/users.sql (`tenant_id varchar(21)
-- not null references tenants (id) on update cascade on delete cascade`). Re-homed into
-- expert_network: `SET search_path TO expert_network` first (logto's CLI runs these files under
-- public), set_tenant_id given `SET search_path = expert_network, pg_catalog, pg_temp` (the fence's own
-- hint for its unqualified `tenants`), tables cut to the columns used, names prefixed pp_lt_, the rest
-- as logto wrote it. The fence refused every table's key (72 of logto's 82 files): "set_tenant_id()
-- runs with the owner's rights when a foreign key's ON DELETE or ON UPDATE action ... calls it". A
-- foreign key's action writes the referencing rows only by UPDATE or DELETE, so a BEFORE INSERT
-- trigger never runs in it (psql on PG 15: raguser's UPDATE and DELETE of the parent fired the
-- child's BEFORE UPDATE trigger as the superuser, never its BEFORE INSERT one). A BEFORE UPDATE or
-- DELETE trigger there stays refused (refuse corpus 80: logto's set_updated_at, before update on
-- tables with `on update cascade`), and so does a BEFORE INSERT one where the write may become an
-- INSERT: a partitioned table (a key update moves the row: PG 15 fired the destination partition's
-- BEFORE INSERT trigger as the superuser) or a table with a rule on INSERT, UPDATE or DELETE.
BEGIN;

SET search_path TO expert_network;

create table pp_lt_tenants (
  id varchar(21) not null,
  db_user varchar(128),
  name varchar(128) not null default 'My Project',
  primary key (id),
  constraint pp_lt_tenants__db_user
    unique (db_user)
);

/** A function to set the tenant_id column based on the current user. */
create function pp_lt_set_tenant_id() returns trigger as
$$ begin
  if new.tenant_id is not null then
    return new;
  end if;

  select pp_lt_tenants.id into new.tenant_id
    from pp_lt_tenants
    where pp_lt_tenants.db_user = current_user;

  return new;
end; $$ language plpgsql set search_path = expert_network, pg_catalog, pg_temp;

create table pp_lt_users (
  tenant_id varchar(21) not null
    references pp_lt_tenants (id) on update cascade on delete cascade,
  id varchar(12) not null,
  username varchar(128),
  created_at timestamptz not null default (now()),
  primary key (id),
  constraint pp_lt_users__username
    unique (tenant_id, username)
);

create unique index pp_lt_users__id
  on pp_lt_users (tenant_id, id);

create trigger set_tenant_id before insert on pp_lt_users
  for each row execute procedure pp_lt_set_tenant_id();

alter table pp_lt_users enable row level security;

create policy pp_lt_users_tenant_id on pp_lt_users
  as restrictive
  using (tenant_id = (select id from pp_lt_tenants where db_user = current_user));

create policy pp_lt_users_modification on pp_lt_users
  using (true);

create table pp_lt_organizations (
  tenant_id varchar(21) not null
    references pp_lt_tenants (id) on update cascade on delete cascade,
  id varchar(21) not null,
  name varchar(128) not null,
  primary key (id)
);

create index pp_lt_organizations__id
  on pp_lt_organizations (tenant_id, id);

create trigger set_tenant_id before insert on pp_lt_organizations
  for each row execute procedure pp_lt_set_tenant_id();

alter table pp_lt_organizations enable row level security;

create policy pp_lt_organizations_tenant_id on pp_lt_organizations
  as restrictive
  using (tenant_id = (select id from pp_lt_tenants where db_user = current_user));

create policy pp_lt_organizations_modification on pp_lt_organizations
  using (true);

COMMIT;
