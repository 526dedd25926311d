-- en-migrate: allow dynamic-sql
-- Pass corpus 17: a diesel migration (2024-01-01-000000_create_posts/up.sql) the way diesel's guide
-- writes it, re-homed. Calling diesel_manage_updated_at runs its EXECUTE in the migration, with the
-- opt-in above and the database-side check behind it.
CREATE TABLE expert_network.pp_diesel_posts (
  id SERIAL PRIMARY KEY,
  title VARCHAR NOT NULL,
  body TEXT NOT NULL,
  published BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);

SELECT expert_network.diesel_manage_updated_at('expert_network.pp_diesel_posts');
