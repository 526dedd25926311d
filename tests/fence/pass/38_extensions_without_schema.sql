-- Pass corpus 38: extensions created without SCHEMA, as Prisma, TypeORM, ory (kratos, hydra), umami
-- and temporal write them (`CREATE EXTENSION IF NOT EXISTS "pgcrypto";`). The server installs an
-- extension without SCHEMA into the search_path's first schema, expert_network under en-migrate's
-- pinned path (every allowlisted extension is relocatable); were it missing, the extension would land
-- in pg_catalog, which the database-side check refuses. Applied with psql on PG 15.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; END $$;
CREATE TABLE expert_network.pass_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label text NOT NULL
);
