-- Pass corpus 87: Twenty's first-user trigger (twentyhq/twenty
-- packages/twenty-server/src/database/typeorm/core/migrations/common/1734950137596-add-trigger-to-update-can-impersonate-on-first-user.ts,
-- commit aee3582105d47f8936a131f7d485ed2a23156737), TypeORM's queryRunner.query calls one after
-- another: a BEFORE INSERT trigger on core."user" that, while the table is empty, sets
-- "canImpersonate" and calls a function whose constant EXECUTE drops the trigger itself (PG 15: the
-- first insert runs it and the trigger is gone). Re-homed into expert_network: the core schema's
-- table and the two functions (which Twenty made unqualified) qualified, the table cut to its key,
-- email and "canImpersonate" and prefixed pp_tw_, with the uuid-ossp extension Twenty's setup
-- makes for its uuid_generate_v4() default. The fence passed them.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE expert_network."pp_tw_user" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "email" character varying NOT NULL, "canImpersonate" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_pp_tw_user" PRIMARY KEY ("id"));

CREATE OR REPLACE FUNCTION expert_network.set_can_impersonate_to_true_on_first_user()
    RETURNS TRIGGER AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM expert_network."pp_tw_user") THEN
        NEW."canImpersonate" := true;
        PERFORM expert_network.delete_first_user_trigger();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER insert_user_trigger
    BEFORE INSERT ON expert_network."pp_tw_user"
    FOR EACH ROW
EXECUTE FUNCTION expert_network.set_can_impersonate_to_true_on_first_user();

CREATE OR REPLACE FUNCTION expert_network.delete_first_user_trigger()
    RETURNS void AS $$
BEGIN
    EXECUTE 'DROP TRIGGER IF EXISTS insert_user_trigger ON expert_network.pp_tw_user';
END;
$$ LANGUAGE plpgsql;
