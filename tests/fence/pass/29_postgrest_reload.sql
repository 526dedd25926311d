-- en-migrate: allow notify
-- Pass corpus 29: PostgREST's documented way to pick up a schema change: NOTIFY pgrst at the end of
-- the migration, opted in, since the notification reaches PostgREST (another listener) on commit.
CREATE VIEW expert_network.pp_api_people AS
    SELECT p.id, p.name FROM expert_network.pp_sqlmigrate_people AS p;

COMMENT ON VIEW expert_network.pp_api_people IS 'exposed by PostgREST';

NOTIFY pgrst, 'reload schema';
SELECT pg_notify('pgrst', 'reload config');
