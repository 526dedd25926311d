-- Pass corpus 86: authentik's task table and its two pgtrigger triggers
-- (goauthentik/authentik authentik/tasks/migrations/0001_initial.py, commit
-- 03c5b20b74d7e5f4f0c0f9eeb24aaaf11783cbde), the SQL django-pgtrigger 4.17.0's
-- UpsertTriggerSql template (pgtrigger/compiler.py) writes for them: the shared
-- _pgtrigger_should_ignore(trigger_name) reading `CURRENT_SETTING('pgtrigger.ignore')` into a
-- TEXT[], an AFTER INSERT OR UPDATE constraint trigger DEFERRABLE INITIALLY DEFERRED whose body
-- calls pg_notify (run by the application's writes, not by the migration), a BEFORE trigger
-- aggregating jsonb, each dropped if it exists, made and commented. Re-homed into expert_network:
-- pgtrigger's ignore function as its PGTRIGGER_SCHEMA setting names it (`"expert_network"`
-- where authentik's is `"public"`), the table qualified and prefixed pp_ak_, cut to its columns
-- without foreign keys. The fence passed them.
CREATE TABLE expert_network."pp_ak_tasks_task" ("message_id" uuid NOT NULL PRIMARY KEY, "queue_name" text NOT NULL, "actor_name" text NOT NULL, "message" bytea NULL, "state" varchar(8) NOT NULL, "mtime" timestamp with time zone NOT NULL, "result" bytea NULL, "result_expiry" timestamp with time zone NULL, "rel_obj_id" text NULL, "_uid" text NULL, "_messages" jsonb NOT NULL, "aggregated_status" text NOT NULL);
CREATE INDEX "pp_ak_t_state_bb4a31_idx" ON expert_network."pp_ak_tasks_task" ("state", "mtime");

            CREATE OR REPLACE FUNCTION "expert_network"._pgtrigger_should_ignore(
                trigger_name NAME
            )
            RETURNS BOOLEAN AS $$
                DECLARE
                    _pgtrigger_ignore TEXT[];
                    _result BOOLEAN;
                BEGIN
                    BEGIN
                        SELECT INTO _pgtrigger_ignore
                            CURRENT_SETTING('pgtrigger.ignore');
                        EXCEPTION WHEN OTHERS THEN
                    END;
                    IF _pgtrigger_ignore IS NOT NULL THEN
                        SELECT trigger_name = ANY(_pgtrigger_ignore)
                        INTO _result;
                        RETURN _result;
                    ELSE
                        RETURN FALSE;
                    END IF;
                END;
            $$ LANGUAGE plpgsql;

            CREATE OR REPLACE FUNCTION expert_network.pgtrigger_notify_enqueueing_0bc94()
            RETURNS TRIGGER AS $$
                
                BEGIN
                    IF ("expert_network"._pgtrigger_should_ignore(TG_NAME) IS TRUE) THEN
                        IF (TG_OP = 'DELETE') THEN
                            RETURN OLD;
                        ELSE
                            RETURN NEW;
                        END IF;
                    END IF;
                    
                    PERFORM pg_notify(
                        'authentik.tasks.' || NEW.queue_name || '.enqueue',
                        NEW.message_id::text
                    );
                    RETURN NEW;
                
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS pgtrigger_notify_enqueueing_0bc94 ON expert_network."pp_ak_tasks_task";
            CREATE CONSTRAINT TRIGGER pgtrigger_notify_enqueueing_0bc94
                AFTER INSERT OR UPDATE ON expert_network."pp_ak_tasks_task"
                DEFERRABLE INITIALLY DEFERRED
                
                FOR EACH ROW WHEN (NEW."state" = 'queued')
                EXECUTE PROCEDURE expert_network.pgtrigger_notify_enqueueing_0bc94();

            COMMENT ON TRIGGER pgtrigger_notify_enqueueing_0bc94 ON expert_network."pp_ak_tasks_task" IS '0a9ee3db61e4d63fd72b31322fbb821706dd8a78';

            CREATE OR REPLACE FUNCTION expert_network.pgtrigger_update_aggregated_status_f18c4()
            RETURNS TRIGGER AS $$
                
                BEGIN
                    IF ("expert_network"._pgtrigger_should_ignore(TG_NAME) IS TRUE) THEN
                        IF (TG_OP = 'DELETE') THEN
                            RETURN OLD;
                        ELSE
                            RETURN NEW;
                        END IF;
                    END IF;
                    
                    NEW.aggregated_status := CASE
                        WHEN NEW.state != 'done' THEN NEW.state
                        ELSE COALESCE((
                            SELECT CASE
                                WHEN bool_or(msg->>'log_level' = 'error') THEN 'error'
                                WHEN bool_or(msg->>'log_level' = 'warning') THEN 'warning'
                                WHEN bool_or(msg->>'log_level' = 'info') THEN 'info'
                                ELSE 'done'
                            END
                            FROM jsonb_array_elements(NEW._messages) AS msg
                        ), 'done')
                    END;

                    RETURN NEW;
                
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS pgtrigger_update_aggregated_status_f18c4 ON expert_network."pp_ak_tasks_task";
            CREATE  TRIGGER pgtrigger_update_aggregated_status_f18c4
                BEFORE INSERT OR UPDATE ON expert_network."pp_ak_tasks_task"
                
                
                FOR EACH ROW 
                EXECUTE PROCEDURE expert_network.pgtrigger_update_aggregated_status_f18c4();

            COMMENT ON TRIGGER pgtrigger_update_aggregated_status_f18c4 ON expert_network."pp_ak_tasks_task" IS 'ebc09bc08c1624966c0c58a52f243fe25a842058';
