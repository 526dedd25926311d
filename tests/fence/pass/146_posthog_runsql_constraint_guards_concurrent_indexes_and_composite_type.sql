-- en-migrate: no-transaction
-- Pass corpus 146: PostHog's Django RunSQL strings (PostHog/posthog): from
-- posthog/migrations/0003_squash_2026_08_21_schema_addons.py (commit
-- 0b2e7845f3956c112b9ce1454ddbde2a2aaa202c, `atomic = False`), the foreign keys added behind a
-- catalog guard (`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '...')
-- THEN ALTER TABLE "posthog_experiment" ADD CONSTRAINT ... DEFERRABLE INITIALLY DEFERRED NOT VALID;
-- END IF; END $$;`) and the indexes built concurrently (`CREATE INDEX CONCURRENTLY IF NOT EXISTS`,
-- a partial one with `created_at DESC`, unique ones, and the `USING GIN (query jsonb_ops)` one of
-- posthog_dashboarditem, put here on the activity log's detail column); from 0176_update_person_props_function.py
-- (commit 14e684743687938694fe16da759d06a5c56fa625) `DROP TYPE IF EXISTS person_property_update;`
-- and `CREATE TYPE person_property_update AS (...)`; from 0210_drop_update_person_functions.py
-- (commit 03f2add8efc9c7f41c8286d695f4b47caac61464) the two-name `DROP FUNCTION IF EXISTS
-- update_person_props, should_update_person_props`. Re-homed as Django runs a non-atomic
-- migration on a connection whose OPTIONS set `-c search_path=expert_network`: one statement a
-- transaction, names unqualified as PostHog writes them, tables prefixed pp_ph_ and cut to the
-- columns the statements use (Django's CreateModel made them). Left out, and refused as they
-- should be: 0173's `should_update_person_prop` (LANGUAGE SQL) and 0176's `update_person_props`
-- (plpgsql) read and write `posthog_person` unqualified in bodies without a search_path of their
-- own, which run under the caller's path (an application's `"$user", public` finds
-- public.posthog_person first). The fence passed the rest.
SET search_path TO expert_network;

CREATE TABLE "pp_ph_user" ("id" serial NOT NULL PRIMARY KEY, "email" varchar(254) NOT NULL UNIQUE);

CREATE TABLE "pp_ph_team" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(200) NOT NULL, "secret_api_token" varchar(200) NULL, "secret_api_token_backup" varchar(200) NULL);

CREATE TABLE "pp_ph_experiment" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(400) NOT NULL, "created_by_id" integer NOT NULL, "exposure_cohort_id" integer NULL, "team_id" integer NOT NULL);

CREATE TABLE "pp_ph_activitylog" ("id" uuid NOT NULL PRIMARY KEY, "team_id" integer NULL, "item_id" varchar(72) NULL, "scope" varchar(79) NOT NULL, "activity" varchar(79) NOT NULL, "created_at" timestamp with time zone NOT NULL, "detail" jsonb NULL);

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'pp_ph_experiment_created_by_id_b40aea95_fk_posthog_user_id') THEN
ALTER TABLE "pp_ph_experiment" ADD CONSTRAINT "pp_ph_experiment_created_by_id_b40aea95_fk_posthog_user_id" FOREIGN KEY ("created_by_id") REFERENCES "pp_ph_user" ("id") DEFERRABLE INITIALLY DEFERRED NOT VALID;
END IF; END $$;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'pp_ph_experiment_team_id_fk_posthog_team_id') THEN
-- existing-table-constraint-ignore
                    ALTER TABLE "pp_ph_experiment" ADD CONSTRAINT "pp_ph_experiment_team_id_fk_posthog_team_id" FOREIGN KEY ("team_id") REFERENCES "pp_ph_team" ("id") DEFERRABLE INITIALLY DEFERRED;
END IF; END $$;

                    CREATE INDEX CONCURRENTLY IF NOT EXISTS "pp_ph_experiment_exposure_cohort_id_19450b9e" ON "pp_ph_experiment" ("exposure_cohort_id");

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS pp_ph_team_secret_api_token_unique_idx ON pp_ph_team (secret_api_token);

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS pp_ph_team_secret_api_token_backup_unique_idx ON pp_ph_team (secret_api_token_backup);

            CREATE INDEX CONCURRENTLY IF NOT EXISTS pp_ph_idx_activitylog_featureflag_updates
            ON pp_ph_activitylog (team_id, item_id, created_at DESC)
            WHERE scope = 'FeatureFlag' AND activity = 'updated';

CREATE INDEX CONCURRENTLY IF NOT EXISTS pp_ph_activitylog_detail_gin ON pp_ph_activitylog USING GIN (detail jsonb_ops);

DROP TYPE IF EXISTS person_property_update;

        CREATE TYPE person_property_update AS (
            update_op text,
            key text,
            value jsonb
        );

DROP FUNCTION IF EXISTS update_person_props, should_update_person_props;
