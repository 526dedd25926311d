-- Refuse corpus 89: the built-in trigger function tsvector_update_trigger(tsvector_column,
-- 'schema.configuration', text_column, ...) looks its second argument up as a text search
-- configuration's name on every write it fires on (the server requires it schema-qualified). A
-- trigger argument is a string, which the fence did not read as a name, so a configuration of public
-- or of another application's schema passed where a written `to_tsvector('public.english', ...)`
-- is refused. Each refused statement is followed by a `-- proof:` query; run on PG 15 as the
-- runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003
-- applied, placeholders raguser and expert_network_readonly): the public application's
-- configuration (a copy of simple, made in the proof as that application would) indexed the row, so
-- the proof printed 'runs':1 where pg_catalog.english gives 'run':1. Found by a hunt: before, every
-- refused statement below passed `check`.

CREATE TABLE expert_network.tt_doc (body text, tsv tsvector);

-- Reaches: public.english, read on every insert.
-- refuse: touches-public
CREATE TRIGGER tt_doc_tsv BEFORE INSERT OR UPDATE ON expert_network.tt_doc FOR EACH ROW
    EXECUTE FUNCTION tsvector_update_trigger(tsv, 'public.english', body);
-- proof: CREATE TEXT SEARCH CONFIGURATION public.english (COPY = pg_catalog.simple); INSERT INTO expert_network.tt_doc (body) VALUES ('runs'); SELECT tsv FROM expert_network.tt_doc

-- Reaches: another schema's configuration, spelled with quotes, through the qualified name.
-- refuse: outside-schema
CREATE TRIGGER tt_doc_tsv BEFORE INSERT OR UPDATE ON expert_network.tt_doc FOR EACH ROW
    EXECUTE FUNCTION pg_catalog.tsvector_update_trigger('tsv', '"other_app".english', 'body');
-- proof: CREATE SCHEMA other_app; CREATE TEXT SEARCH CONFIGURATION other_app.english (COPY = pg_catalog.simple); INSERT INTO expert_network.tt_doc (body) VALUES ('runs'); SELECT tsv FROM expert_network.tt_doc

-- pg_catalog's configurations, and expert_network's own, pass.
CREATE TEXT SEARCH CONFIGURATION expert_network.tt_cfg (COPY = pg_catalog.english);
CREATE TRIGGER tt_doc_own BEFORE INSERT ON expert_network.tt_doc FOR EACH ROW
    EXECUTE FUNCTION tsvector_update_trigger(tsv, 'expert_network.tt_cfg', body);
CREATE TRIGGER tt_doc_catalog BEFORE UPDATE ON expert_network.tt_doc FOR EACH ROW
    EXECUTE FUNCTION tsvector_update_trigger(tsv, 'pg_catalog.english', body);
