-- Pass corpus 151: Unleash's db-migrate migrations (Unleash/unleash, commit
-- ceeb5a9ca6d0beb0cabf041d6a27ffd2d6501859, src/migrations/*.js: the SQL of their runSql calls;
-- 374 files, 1,001 statements checked): 20210428103924-patch-admin_role.js and
-- 20210428103924-patch-role_permissions.js, DO blocks whose body runs `WITH admin AS (SELECT * FROM
-- roles ... LIMIT 1) INSERT INTO role_user(...) VALUES ((select id from admin), (select id FROM users
-- ...))`, a `DELETE FROM role_permission p1 USING role_permission p2 WHERE ...` of duplicates, and
-- `EXCEPTION WHEN OTHERS THEN raise notice 'Ignored'`; the tables they use, made before by
-- 20210217195834-rbac-tables.js's runSql (`CREATE TABLE IF NOT EXISTS roles ...`, `role_user`,
-- `role_permission`) and 20200416201319-create-users.js's `db.createTable('users', ...)` written
-- out. Re-homed as db-migrate runs them with Unleash's `schema` setting (the connection's search_path
-- is that schema): the names the files create qualified, every other name, in the DO blocks too, as
-- Unleash writes it, unqualified; tables prefixed pp_un_. The fence passed it.
CREATE TABLE expert_network.pp_un_users (id serial PRIMARY KEY NOT NULL, name varchar(255), username varchar(255) UNIQUE, email varchar(255) UNIQUE, created_at timestamp DEFAULT now());

CREATE TABLE IF NOT EXISTS expert_network.pp_un_roles
       (
          id          SERIAL PRIMARY KEY,
          name        text not null,
          description text,
          type        text not null default 'custom',
          project     text,
          created_at  TIMESTAMP WITH TIME ZONE DEFAULT now()
       );
      CREATE TABLE IF NOT EXISTS expert_network.pp_un_role_user
      (
          role_id     integer not null references pp_un_roles (id) ON DELETE CASCADE,
          user_id     integer not null references pp_un_users (id) ON DELETE CASCADE,
          created_at  TIMESTAMP WITH TIME ZONE DEFAULT now(),
          PRIMARY KEY (role_id, user_id)
      );
      CREATE TABLE IF NOT EXISTS expert_network.pp_un_role_permission
      (
          role_id     integer not null references pp_un_roles (id) ON DELETE CASCADE,
          project     text,
          permission  text not null,
          created_at  TIMESTAMP WITH TIME ZONE DEFAULT now()
      );

INSERT INTO pp_un_roles(name, description, type) VALUES ('Admin', 'Users with the global admin role have superuser access to Unleash and can perform any operation within the unleash platform.', 'root');
INSERT INTO pp_un_roles(name, description, type) VALUES ('Editor', 'Users with this role have access most features in Unleash, but can not manage users and roles in the global scope.', 'root');
INSERT INTO pp_un_users(name, username) VALUES ('Admin', 'admin');

DO $$
        declare
        begin
                WITH admin AS (
                    SELECT * FROM pp_un_roles WHERE name in ('Admin', 'Super User') LIMIT 1
                )
                INSERT into pp_un_role_user(role_id, user_id)
                VALUES 
                    ((select id from admin), (select id FROM pp_un_users where username='admin' LIMIT 1)); 

        EXCEPTION WHEN OTHERS THEN
            raise notice 'Ignored';
        end;
        $$;

DO $$
        declare
        begin
                WITH editor AS (
                    SELECT * FROM pp_un_roles WHERE name in ('Editor', 'Regular') LIMIT 1
                )

                INSERT INTO pp_un_role_permission(role_id, project, permission)
                VALUES
                    ((SELECT id from editor), '', 'CREATE_STRATEGY'),
                    ((SELECT id from editor), '', 'UPDATE_STRATEGY'),
                    ((SELECT id from editor), 'default', 'UPDATE_PROJECT'),
                    ((SELECT id from editor), 'default', 'DELETE_FEATURE');
                
                -- Clean up duplicates
                DELETE FROM pp_un_role_permission p1
                USING           pp_un_role_permission p2
                WHERE  p1.created_at < p2.created_at   -- select the "older" ones
                AND  p1.project    = p2.project       -- list columns that define duplicates
                AND  p1.permission = p2.permission;
        EXCEPTION WHEN OTHERS THEN
            raise notice 'Ignored';
        end;
        $$;
