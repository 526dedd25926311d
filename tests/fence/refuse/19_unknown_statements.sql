-- Refuse corpus 19: statement kinds a schema-migration fence has no business knowing how to
-- prove safe. They belong to no specific rule; the fence refuses what it does not know.
-- (If the fence learns one of these and classifies it under a specific rule, move the case.)

-- refuse: unknown-statement
LISTEN expert_events;
-- refuse: notify
NOTIFY expert_events, 'migrated';
-- refuse: unknown-statement
UNLISTEN *;
-- refuse: database-wide
CREATE ACCESS METHOD en_heap TYPE TABLE HANDLER heap_tableam_handler;
-- refuse: database-wide
DROP ACCESS METHOD IF EXISTS en_heap;
-- refuse: database-wide
CREATE TRANSFORM FOR expert_network.pass_money LANGUAGE plpython3u (
    FROM SQL WITH FUNCTION expert_network.money_to_py(internal),
    TO SQL WITH FUNCTION expert_network.py_to_money(internal)
);
-- A cast from or to a type of expert_network's reaches only expressions over that type (pass
-- corpus 152); one between two types outside it is refused (refuse corpus 134).
CREATE CAST (expert_network.pass_money AS text) WITH INOUT AS IMPLICIT;
DROP CAST IF EXISTS (text AS expert_network.pass_money);
-- refuse: database-wide
ALTER LARGE OBJECT 16400 OWNER TO en_app;
-- refuse: unknown-statement
DECLARE en_cur CURSOR WITH HOLD FOR SELECT id FROM expert_network.campaigns;
-- refuse: unknown-statement
FETCH FORWARD 10 FROM en_cur;
-- refuse: unknown-statement
MOVE LAST IN en_cur;
-- refuse: unknown-statement
CLOSE en_cur;
