-- Pass corpus 64: functions dropped, altered and commented on by their unqualified names, as
-- rust-lang/crates.io (commit 57fa000662f511321daa61e6769f190ea0e80771) writes in its diesel
-- migrations: 2019-09-18-233204_fix_int_type_in_to_semver_no_prerelease (`DROP FUNCTION
-- to_semver_no_prerelease(text); DROP TYPE semver_triple;` and both made again),
-- 2025-03-06-060640_semver_ord (`comment on function semver_ord is '...'`),
-- 2026-05-27-130000-0000_drop_semver_ord (`drop function if exists set_semver_ord();`, `drop
-- function if exists semver_ord(varchar);`), 2024-04-17-083100_remove-obsolete-fn (`drop function
-- set_updated_at_ignore_downloads;`) and 2026-06-05-120000-0000_create_reverse_dependencies
-- (`COMMENT ON FUNCTION compute_reverse_dependencies(integer[]) IS ...`). The fence refused each
-- ("function semver_ord is not schema-qualified"). On the pinned path (expert_network, pg_catalog,
-- pg_temp) the server looks a function up in expert_network, then pg_catalog (pg_temp never):
-- named as no function of pg_catalog is on PostgreSQL 13 to 18, it can only be expert_network's
-- (`up` refuses to run while pg_catalog holds a function the server did not make). PG 15: after
-- this file no pp_cr_ function is left in expert_network, and pg_catalog is as it was. Re-homed
-- into expert_network: the CREATE statements qualified, names prefixed pp_cr_, the functions'
-- bodies cut (semver_ord's uses regexp_like, which PostgreSQL 13 lacks) and given the `SET
-- search_path` or the qualified names the fence asks of a string body that names the schema's own
-- objects; `create trigger` for crates.io's `create or replace trigger` (PostgreSQL 14); the DROP,
-- COMMENT and ALTER statements as crates.io wrote them.
CREATE TABLE expert_network.pp_cr_versions (
    id serial PRIMARY KEY,
    num varchar NOT NULL,
    updated_at timestamp NOT NULL DEFAULT now()
);

CREATE TYPE expert_network.pp_cr_semver_triple AS (
  major numeric,
  minor numeric,
  teeny numeric
);

CREATE FUNCTION expert_network.pp_cr_to_semver_no_prerelease(text) RETURNS expert_network.pp_cr_semver_triple IMMUTABLE AS $$
  SELECT (
    split_part($1, '.', 1)::numeric,
    split_part($1, '.', 2)::numeric,
    split_part(split_part($1, '+', 1), '.', 3)::numeric
  )::expert_network.pp_cr_semver_triple
  WHERE strpos($1, '-') = 0
  $$ LANGUAGE SQL
;

DROP FUNCTION pp_cr_to_semver_no_prerelease(text);
DROP TYPE pp_cr_semver_triple;

CREATE TYPE expert_network.pp_cr_semver_triple AS (
  major numeric,
  minor numeric,
  teeny numeric
);

CREATE FUNCTION expert_network.pp_cr_to_semver_no_prerelease(text) RETURNS expert_network.pp_cr_semver_triple IMMUTABLE AS $$
  SELECT (
    split_part($1, '.', 1)::numeric,
    split_part($1, '.', 2)::numeric,
    split_part(split_part($1, '+', 1), '.', 3)::numeric
  )::expert_network.pp_cr_semver_triple
  WHERE strpos($1, '-') = 0
  $$ LANGUAGE SQL
;

ALTER FUNCTION pp_cr_to_semver_no_prerelease(text) PARALLEL SAFE;

create or replace function expert_network.pp_cr_semver_ord(num varchar) returns jsonb as $$
declare
    match_result text[] := regexp_match(num, '^(\d+).(\d+).(\d+)(?:-([0-9A-Za-z\-.]+))?');
begin
    if match_result is null then
        return null;
    end if;

    -- Return an array with the major, minor, patch, and prerelease parts.
    return json_build_array(
        match_result[1]::numeric,
        match_result[2]::numeric,
        match_result[3]::numeric,
        coalesce(match_result[4], '')
    );
end;
$$ language plpgsql immutable;

comment on function pp_cr_semver_ord is 'Converts a semver string into a JSONB array for version comparison purposes.';

alter table pp_cr_versions
    add semver_ord jsonb;

create or replace function expert_network.pp_cr_set_semver_ord() returns trigger as $$
begin
    new.semver_ord := expert_network.pp_cr_semver_ord(new.num);
    return new;
end
$$ language plpgsql;

create trigger pp_cr_trigger_set_semver_ord
    before insert on pp_cr_versions
    for each row
    execute procedure expert_network.pp_cr_set_semver_ord();

CREATE FUNCTION expert_network.pp_cr_compute_reverse_dependencies(crate_ids integer[])
    RETURNS TABLE (crate_id integer)
    LANGUAGE sql STABLE
    SET search_path = expert_network, pg_catalog, pg_temp
AS $$
    SELECT unnest(crate_ids)
$$;

COMMENT ON FUNCTION pp_cr_compute_reverse_dependencies(integer[]) IS
    'Returns the rows that should exist in `reverse_dependencies` for the given dependent crate ids, one per target crate.';

create function expert_network.pp_cr_set_updated_at_ignore_downloads() returns trigger as $$
begin
    new.updated_at := now();
    return new;
end
$$ language plpgsql;

drop function pp_cr_set_updated_at_ignore_downloads;

drop trigger if exists pp_cr_trigger_set_semver_ord on pp_cr_versions;
drop function if exists pp_cr_set_semver_ord();
-- safety-assured:start
-- The column is no longer used.
alter table pp_cr_versions drop column if exists semver_ord;
-- safety-assured:end
drop function if exists pp_cr_semver_ord(varchar);
drop function if exists pp_cr_compute_reverse_dependencies(integer[]);
drop function if exists pp_cr_to_semver_no_prerelease(text);
