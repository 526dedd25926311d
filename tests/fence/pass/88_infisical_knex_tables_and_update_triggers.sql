-- Pass corpus 88: Infisical's knex migrations (Infisical/infisical backend/src/db/utils.ts, commit
-- 111b4363c546de3a771f88289d6ee7816f0df9c4: createUpdateAtTriggerFunction's `CREATE OR REPLACE
-- FUNCTION on_update_timestamp()` and createOnUpdateTrigger's `CREATE TRIGGER "<table>_updatedAt"
-- BEFORE UPDATE ON <table> ... EXECUTE PROCEDURE on_update_timestamp()`; 20231128072457_user.ts,
-- 20240318183910_group.ts and 20240202093209_ghost_user.ts for the tables), as knex's pg client
-- writes them: lower-case `create table` with gen_random_uuid() keys and camelCase timestamps,
-- unique and foreign keys added by `alter table` (ON DELETE CASCADE on the junction table, whose
-- BEFORE UPDATE trigger a cascaded delete does not fire), a `create index`, and schema.hasTable's
-- and hasColumn's information_schema reads under current_schema(). Re-homed into expert_network:
-- the `set search_path to "expert_network"` knex's searchPath option sends, everything else
-- unqualified as Infisical writes it, the tables prefixed pp_if_ and cut to a few columns. The
-- fence passed them.
set search_path to "expert_network";

      CREATE OR REPLACE FUNCTION on_update_timestamp() RETURNS TRIGGER AS $$ BEGIN NEW."updatedAt" = NOW();
      RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;

create table "pp_if_users" ("id" uuid not null default gen_random_uuid(), "email" varchar(255), "authMethods" text[], "superAdmin" boolean default '0', "firstName" varchar(255), "isAccepted" boolean default '0', "createdAt" timestamptz not null default CURRENT_TIMESTAMP, "updatedAt" timestamptz not null default CURRENT_TIMESTAMP, constraint "pp_if_users_pkey" primary key ("id"));
alter table "pp_if_users" add constraint "pp_if_users_email_unique" unique ("email");

      CREATE TRIGGER "pp_if_users_updatedAt"
      BEFORE UPDATE ON pp_if_users
      FOR EACH ROW
      EXECUTE PROCEDURE on_update_timestamp();

create table "pp_if_groups" ("id" uuid not null default gen_random_uuid(), "name" varchar(255) not null, "slug" varchar(255) not null, "createdAt" timestamptz not null default CURRENT_TIMESTAMP, "updatedAt" timestamptz not null default CURRENT_TIMESTAMP, constraint "pp_if_groups_pkey" primary key ("id"));
alter table "pp_if_groups" add constraint "pp_if_groups_slug_unique" unique ("slug");

      CREATE TRIGGER "pp_if_groups_updatedAt"
      BEFORE UPDATE ON pp_if_groups
      FOR EACH ROW
      EXECUTE PROCEDURE on_update_timestamp();

create table "pp_if_user_group_membership" ("id" uuid not null default gen_random_uuid(), "userId" uuid not null, "groupId" uuid not null, "isPending" boolean not null default '0', "createdAt" timestamptz not null default CURRENT_TIMESTAMP, "updatedAt" timestamptz not null default CURRENT_TIMESTAMP, constraint "pp_if_user_group_membership_pkey" primary key ("id"));
alter table "pp_if_user_group_membership" add constraint "pp_if_user_group_membership_userid_foreign" foreign key ("userId") references "pp_if_users" ("id") on delete CASCADE;
alter table "pp_if_user_group_membership" add constraint "pp_if_user_group_membership_groupid_foreign" foreign key ("groupId") references "pp_if_groups" ("id") on delete CASCADE;
create index "pp_if_user_group_membership_userid_index" on "pp_if_user_group_membership" ("userId");

      CREATE TRIGGER "pp_if_user_group_membership_updatedAt"
      BEFORE UPDATE ON pp_if_user_group_membership
      FOR EACH ROW
      EXECUTE PROCEDURE on_update_timestamp();

alter table "pp_if_users" add column "isGhost" boolean not null default '0';
select * from information_schema.tables where table_name = 'pp_if_groups' and table_schema = current_schema();
select * from information_schema.columns where table_name = 'pp_if_users' and column_name = 'isGhost' and table_schema = current_schema();

DROP TRIGGER IF EXISTS "pp_if_groups_updatedAt" ON pp_if_groups;
