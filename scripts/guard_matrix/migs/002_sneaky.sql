-- en-migrate: allow dynamic-sql
CREATE TABLE expert_network.t (id int);
CREATE OR REPLACE FUNCTION expert_network.call_innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('SELECT expert_network.', 'innocent()'); END $$;
SELECT expert_network.call_innocent();
