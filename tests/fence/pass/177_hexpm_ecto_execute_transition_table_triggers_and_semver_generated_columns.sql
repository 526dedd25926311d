-- Pass corpus 177: Hex.pm's package_dependants upkeep and SemVer sort key (hexpm/hexpm
-- priv/repo/migrations, commit dee4f9b235f21e17149c504155ba1f9fb468bb01), Ecto migrations whose
-- raw SQL runs through `execute`: 20260419014711_add_package_dependants_table.exs (a table kept by
-- an AFTER INSERT row trigger whose `INSERT ... ON CONFLICT (...) DO UPDATE SET package_id =
-- EXCLUDED.package_id` locks the existing row, and an AFTER DELETE statement trigger `REFERENCING
-- OLD TABLE AS old_requirements`, with `DROP TRIGGER IF EXISTS` before each CREATE TRIGGER and a
-- backfill `INSERT ... SELECT DISTINCT ... ON CONFLICT DO NOTHING`),
-- 20260420120000_optimize_package_dependants_delete_trigger.exs (a `CREATE UNLOGGED TABLE` cache
-- keyed by `pg_backend_pid()` and `txid_current()`, filled by a BEFORE DELETE row trigger and
-- emptied by an AFTER DELETE statement trigger's `DELETE ... USING old_releases`, and the delete
-- trigger's body remade with a CTE and `DELETE ... USING affected`) and
-- 20260814120000_add_release_semver_sort_key.exs (an IMMUTABLE STRICT PARALLEL SAFE plpgsql
-- function calling only `pg_catalog.`-qualified functions, `FOREACH ... IN ARRAY`, and two
-- `GENERATED ALWAYS AS (...) STORED NOT NULL` columns added after `SET LOCAL lock_timeout TO '5s'`),
-- on the tables Hex.pm's earlier migrations make (packages, repositories, releases, requirements,
-- downloads, cut to the columns these use). Re-homed as an operator adopting en-migrate would: Hex.pm's
-- unqualified names (and its `public.`) written expert_network.; names prefixed hx_.
-- PostgreSQL 15 applied it with psql; read back: pg_trigger holds the four triggers (tgtype 5 for
-- the row insert, 11 for the BEFORE DELETE row, 8 for both statement ones), the cache table
-- relpersistence 'u'; releases '1.2.0-rc.1' and '1.2.0' got semver_stable false and true and sort
-- keys ordering rc.1 first, a requirement's insert filled hx_package_dependants through the
-- trigger, and the release's DELETE (cascading to its requirements) left the cache table empty.
-- The keys are Hex.pm's (structure.sql): releases -> packages and requirements -> packages ON
-- DELETE RESTRICT (20160601131257_add_restrict_constraints.exs), requirements -> releases ON DELETE
-- CASCADE, so the cascade reaches only requirements, whose triggers are AFTER ones (PG 15: an AFTER
-- trigger fired by the cascade ran as the deleting role, not the table's owner). With the
-- releases key made ON DELETE CASCADE instead, the fence refuses the BEFORE DELETE row trigger on
-- releases, rightly: the cascade would run it as the owner, writing the cache table, on which the
-- application's role holds TRIGGER (003's default privileges) and may add its own trigger.
CREATE TABLE expert_network.hx_repositories (
  id serial PRIMARY KEY,
  name varchar(255) NOT NULL
);

CREATE TABLE expert_network.hx_packages (
  id serial PRIMARY KEY,
  name varchar(255) NOT NULL,
  repository_id integer NOT NULL REFERENCES expert_network.hx_repositories (id)
);

CREATE TABLE expert_network.hx_releases (
  id serial PRIMARY KEY,
  package_id integer NOT NULL CONSTRAINT hx_releases_package_id_fkey REFERENCES expert_network.hx_packages (id) ON DELETE RESTRICT,
  version varchar(255) NOT NULL
);

CREATE TABLE expert_network.hx_requirements (
  id serial PRIMARY KEY,
  release_id integer NOT NULL CONSTRAINT hx_requirements_release_id_fkey REFERENCES expert_network.hx_releases (id) ON DELETE CASCADE,
  dependency_id integer NOT NULL CONSTRAINT hx_requirements_dependency_id_fkey REFERENCES expert_network.hx_packages (id) ON DELETE RESTRICT,
  requirement varchar(255) NOT NULL
);

CREATE TABLE expert_network.hx_downloads (
  id bigserial,
  package_id integer NOT NULL REFERENCES expert_network.hx_packages (id) ON DELETE CASCADE,
  release_id integer REFERENCES expert_network.hx_releases (id) ON DELETE CASCADE,
  day date NOT NULL,
  downloads integer NOT NULL,
  CONSTRAINT hx_downloads_pkey PRIMARY KEY (id)
);

CREATE INDEX hx_downloads_package_id_day_idx ON expert_network.hx_downloads (package_id, day);

CREATE TABLE IF NOT EXISTS "expert_network"."hx_package_dependants" (
  "id" bigserial,
  "dependency_id" integer NOT NULL CONSTRAINT "hx_package_dependants_dependency_id_fkey" REFERENCES "expert_network"."hx_packages"("id") ON DELETE CASCADE,
  "package_id" integer NOT NULL CONSTRAINT "hx_package_dependants_package_id_fkey" REFERENCES "expert_network"."hx_packages"("id") ON DELETE CASCADE,
  "dependant_repository_id" integer NOT NULL CONSTRAINT "hx_package_dependants_dependant_repository_id_fkey" REFERENCES "expert_network"."hx_repositories"("id") ON DELETE CASCADE,
  PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX IF NOT EXISTS "hx_package_dependants_dependency_id_package_id_index" ON "expert_network"."hx_package_dependants" ("dependency_id", "package_id");

CREATE INDEX IF NOT EXISTS "hx_package_dependants_dependency_id_dependant_repository_id_index" ON "expert_network"."hx_package_dependants" ("dependency_id", "dependant_repository_id") INCLUDE ("package_id");

CREATE OR REPLACE FUNCTION expert_network.hx_package_dependants_insert() RETURNS trigger AS $$
BEGIN
  -- ON CONFLICT DO UPDATE (no-op SET) takes a row-level lock on the
  -- existing (dependency_id, package_id) row, which serializes against
  -- a concurrent DELETE trigger's NOT EXISTS check on the same row.
  INSERT INTO expert_network.hx_package_dependants (dependency_id, package_id, dependant_repository_id)
  SELECT NEW.dependency_id, rel.package_id, p.repository_id
  FROM expert_network.hx_releases rel
  JOIN expert_network.hx_packages p ON p.id = rel.package_id
  WHERE rel.id = NEW.release_id
  ON CONFLICT (dependency_id, package_id)
    DO UPDATE SET package_id = EXCLUDED.package_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION expert_network.hx_package_dependants_delete() RETURNS trigger AS $$
BEGIN
  DELETE FROM expert_network.hx_package_dependants pd
  WHERE pd.dependency_id IN (SELECT DISTINCT dependency_id FROM old_requirements)
    AND NOT EXISTS (
      SELECT 1 FROM expert_network.hx_requirements req
      JOIN expert_network.hx_releases rel ON rel.id = req.release_id
      WHERE req.dependency_id = pd.dependency_id
        AND rel.package_id = pd.package_id
    );
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS hx_package_dependants_after_requirement_insert ON expert_network.hx_requirements;

CREATE TRIGGER hx_package_dependants_after_requirement_insert
AFTER INSERT ON expert_network.hx_requirements
FOR EACH ROW EXECUTE FUNCTION expert_network.hx_package_dependants_insert();

DROP TRIGGER IF EXISTS hx_package_dependants_after_requirement_delete ON expert_network.hx_requirements;

CREATE TRIGGER hx_package_dependants_after_requirement_delete
AFTER DELETE ON expert_network.hx_requirements
REFERENCING OLD TABLE AS old_requirements
FOR EACH STATEMENT EXECUTE FUNCTION expert_network.hx_package_dependants_delete();

INSERT INTO expert_network.hx_package_dependants (dependency_id, package_id, dependant_repository_id)
SELECT DISTINCT req.dependency_id, p.id, p.repository_id
FROM expert_network.hx_requirements req
JOIN expert_network.hx_releases rel ON rel.id = req.release_id
JOIN expert_network.hx_packages p ON p.id = rel.package_id
ON CONFLICT DO NOTHING;

-- 20260420120000_optimize_package_dependants_delete_trigger
CREATE UNLOGGED TABLE expert_network.hx_package_dependants_deleted_releases (
  backend_pid bigint NOT NULL,
  xact_id bigint NOT NULL,
  release_id integer NOT NULL,
  package_id integer NOT NULL
);

CREATE UNIQUE INDEX "hx_package_dependants_deleted_releases_backend_pid_xact_id_release_id_index" ON "expert_network"."hx_package_dependants_deleted_releases" ("backend_pid", "xact_id", "release_id");

CREATE OR REPLACE FUNCTION expert_network.hx_package_dependants_cache_deleted_release() RETURNS trigger AS $$
BEGIN
  -- requirements are deleted by ON DELETE CASCADE, and once that happens
  -- the requirements trigger can no longer resolve release_id -> package_id
  -- through releases. Cache the mapping before the release row disappears.
  INSERT INTO expert_network.hx_package_dependants_deleted_releases (
    backend_pid, xact_id, release_id, package_id
  )
  VALUES (pg_backend_pid(), txid_current(), OLD.id, OLD.package_id)
  ON CONFLICT (backend_pid, xact_id, release_id) DO NOTHING;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION expert_network.hx_package_dependants_cleanup_deleted_releases() RETURNS trigger AS $$
BEGIN
  DELETE FROM expert_network.hx_package_dependants_deleted_releases cache
  USING old_releases
  WHERE cache.backend_pid = pg_backend_pid()
    AND cache.xact_id = txid_current()
    AND cache.release_id = old_releases.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION expert_network.hx_package_dependants_delete() RETURNS trigger AS $$
BEGIN
  WITH affected AS (
    SELECT DISTINCT
      old_req.dependency_id,
      COALESCE(rel.package_id, cache.package_id) AS package_id
    FROM old_requirements old_req
    LEFT JOIN expert_network.hx_releases rel ON rel.id = old_req.release_id
    LEFT JOIN expert_network.hx_package_dependants_deleted_releases cache
      ON cache.backend_pid = pg_backend_pid()
     AND cache.xact_id = txid_current()
     AND cache.release_id = old_req.release_id
    WHERE COALESCE(rel.package_id, cache.package_id) IS NOT NULL
  )
  DELETE FROM expert_network.hx_package_dependants pd
  USING affected
  WHERE pd.dependency_id = affected.dependency_id
    AND pd.package_id = affected.package_id
    AND NOT EXISTS (
      SELECT 1 FROM expert_network.hx_requirements req
      JOIN expert_network.hx_releases rel ON rel.id = req.release_id
      WHERE req.dependency_id = affected.dependency_id
        AND rel.package_id = affected.package_id
    );
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS hx_package_dependants_before_release_delete ON expert_network.hx_releases;

CREATE TRIGGER hx_package_dependants_before_release_delete
BEFORE DELETE ON expert_network.hx_releases
FOR EACH ROW EXECUTE FUNCTION expert_network.hx_package_dependants_cache_deleted_release();

DROP TRIGGER IF EXISTS hx_package_dependants_after_release_delete ON expert_network.hx_releases;

CREATE TRIGGER hx_package_dependants_after_release_delete
AFTER DELETE ON expert_network.hx_releases
REFERENCING OLD TABLE AS old_releases
FOR EACH STATEMENT EXECUTE FUNCTION expert_network.hx_package_dependants_cleanup_deleted_releases();

-- 20260814120000_add_release_semver_sort_key
CREATE FUNCTION expert_network.hx_semver_sort_key(value text)
RETURNS bytea
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
AS $$
DECLARE
  build_separator integer;
  separator integer;
  precedence text;
  core text;
  prerelease text;
  component text;
  identifier text;
  identifiers text[];
  result bytea := ''::bytea;
BEGIN
  build_separator := pg_catalog.strpos(value, '+');

  IF build_separator = 0 THEN
    precedence := value;
  ELSE
    precedence := pg_catalog.substr(value, 1, build_separator - 1);
  END IF;

  separator := pg_catalog.strpos(precedence, '-');

  IF separator = 0 THEN
    core := precedence;
    prerelease := NULL;
  ELSE
    core := pg_catalog.substr(precedence, 1, separator - 1);
    prerelease := pg_catalog.substr(precedence, separator + 1);
  END IF;

  FOREACH component IN ARRAY pg_catalog.string_to_array(core, '.') LOOP
    IF component::numeric > 99999999999999 THEN
      RAISE EXCEPTION 'SemVer numeric components must be at most 99999999999999';
    END IF;

    result := result || pg_catalog.int8send(component::bigint);
  END LOOP;

  IF prerelease IS NULL THEN
    RETURN result || pg_catalog.decode('01', 'hex');
  END IF;

  result := result || pg_catalog.decode('00', 'hex');

  IF pg_catalog.octet_length(prerelease) > 64 THEN
    RAISE EXCEPTION 'SemVer prerelease must be at most 64 characters';
  END IF;

  identifiers := pg_catalog.string_to_array(prerelease, '.');

  FOREACH identifier IN ARRAY identifiers LOOP
    IF pg_catalog.translate(identifier, '0123456789', '') = '' THEN
      IF identifier::numeric > 99999999999999 THEN
        RAISE EXCEPTION 'SemVer numeric components must be at most 99999999999999';
      END IF;

      result := result ||
        pg_catalog.decode('01', 'hex') ||
        pg_catalog.int8send(identifier::bigint) ||
        pg_catalog.decode('00', 'hex');
    ELSE
      result := result ||
        pg_catalog.decode('02', 'hex') ||
        identifier::bytea ||
        pg_catalog.decode('00', 'hex');
    END IF;
  END LOOP;

  RETURN result || pg_catalog.decode('00', 'hex');
END;
$$;

SET LOCAL lock_timeout TO '5s';

ALTER TABLE expert_network.hx_releases
ADD COLUMN semver_sort_key bytea
  GENERATED ALWAYS AS (expert_network.hx_semver_sort_key(version)) STORED NOT NULL,
ADD COLUMN semver_stable boolean
  GENERATED ALWAYS AS (
    pg_catalog.strpos(pg_catalog.split_part(version, '+', 1), '-') = 0
  ) STORED NOT NULL;
