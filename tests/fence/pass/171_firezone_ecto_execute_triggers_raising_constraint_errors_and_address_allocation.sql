-- Pass corpus 171: Firezone's Ecto migrations (firezone/firezone elixir/priv/repo/migrations, commit
-- df8139e82dd537f4bc99af32f7f94033b809ef3e), the SQL of their `execute` strings:
-- 20220721164925_add_device_rule_user_notify_triggers.exs (notify_<table>_changes() assigning a
-- `record` variable from NEW or OLD and calling pg_notify with json_build_object('op', TG_OP, 'row',
-- row_to_json(row)), fired by `CREATE CONSTRAINT TRIGGER ... AFTER INSERT OR DELETE ... DEFERRABLE FOR
-- EACH ROW EXECUTE PROCEDURE`), 20250224205226_require_internet_resource_in_internet_site.exs (a
-- BEFORE INSERT OR UPDATE OF <columns> trigger whose function raises `USING ERRCODE = '23514',
-- CONSTRAINT = '...'`), 20251130143943_rename_gateway_groups_to_sites.exs (the table renamed, ALTER
-- INDEX ... RENAME TO and RENAME CONSTRAINT of the old names, `UPDATE accounts SET limits =
-- jsonb_set(limits - '...', '{sites_count}', ...) WHERE limits ? '...'`, the trigger and function
-- dropped and made again as `public.enforce_internet_resource_in_internet_site()`),
-- 20251214053536_refactor_network_address_allocation.exs (allocate_address(...) RETURNS TABLE, a
-- LOOP that `RETURN QUERY INSERT ... RETURNING` and catches unique_violation, inet arithmetic on
-- host(broadcast(cidr))::inet) and 20260326000000_create_devices_table.exs (composite foreign keys
-- `FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, id)`, partial unique indexes,
-- CHECK constraints, find_available_device_address() taking `pg_advisory_xact_lock(('x' ||
-- substr(md5(...), 1, 16))::bit(64)::bigint)`, and a `BEFORE INSERT ... WHEN (NEW.ipv4 IS NULL OR
-- NEW.ipv6 IS NULL)` trigger whose function declares `constant cidr` defaults and calls it).
-- Re-homed as Ecto runs them with `prefix: "expert_network"`: the DSL's tables, indexes and
-- constraints qualified as Ecto quotes them, the execute strings as written but for the objects
-- they create and the tables their DDL names, qualified (Firezone's own `public.` made
-- `expert_network.`); function bodies as written, unqualified; tables prefixed fz_. As Firezone
-- writes them (no path of their own), the four functions whose bodies name its tables unqualified
-- were refused rightly (unqualified-name: under the caller's `"$user", public` the body reads and
-- writes public's fz_resources, fz_ipv4_addresses, ...); they carry the fence's hint here, `SET
-- search_path = expert_network, pg_catalog, pg_temp`, bodies unchanged. Left out, as the
-- fence refuses them rightly: 20250428102100's `CREATE EVENT TRIGGER trigger_set_replica_identity
-- ON ddl_command_end` (an event trigger is database-wide: it fires on every schema's CREATE TABLE)
-- and 20250313193005's DO block that tries `CREATE EXTENSION IF NOT EXISTS pgaudit` (no allowlisted
-- extension; it loads server-wide auditing), and 20251219000000's immutable_unaccent(text) wrapper
-- (`SELECT public.unaccent($1)`) under trigram GIN indexes, which run without a transaction: pass
-- corpus 176. The fence passed it; psql on PostgreSQL 15 applied it,
-- a device inserted without addresses got 100.64.x.x/fd00:2021:1111:: addresses from the trigger,
-- and pg_trigger read back fz_actors_changed (tgdeferrable true) on expert_network.fz_actors.
CREATE TABLE "expert_network"."fz_accounts" ("id" uuid DEFAULT gen_random_uuid(), "name" varchar(255) NOT NULL, "limits" jsonb DEFAULT '{}' NOT NULL, "inserted_at" timestamp(6) NOT NULL DEFAULT now(), "updated_at" timestamp(6) NOT NULL DEFAULT now(), PRIMARY KEY ("id"));
CREATE TABLE "expert_network"."fz_gateway_groups" ("id" uuid DEFAULT gen_random_uuid(), "name" varchar(255) NOT NULL, "managed_by" varchar(255) DEFAULT 'account' NOT NULL, "account_id" uuid NOT NULL CONSTRAINT "fz_gateway_groups_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id") ON DELETE CASCADE, "inserted_at" timestamp(6) NOT NULL DEFAULT now(), PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "fz_gateway_groups_account_id_name_managed_by_index" ON "expert_network"."fz_gateway_groups" ("account_id", "name", "managed_by");
CREATE UNIQUE INDEX "fz_gateway_groups_account_id_id_index" ON "expert_network"."fz_gateway_groups" ("account_id", "id");
CREATE TABLE "expert_network"."fz_resources" ("id" uuid DEFAULT gen_random_uuid(), "type" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "address" varchar(255), "account_id" uuid NOT NULL CONSTRAINT "fz_resources_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id") ON DELETE CASCADE, PRIMARY KEY ("id"));
CREATE TABLE "expert_network"."fz_resource_connections" ("resource_id" uuid NOT NULL CONSTRAINT "fz_resource_connections_resource_id_fkey" REFERENCES "expert_network"."fz_resources"("id") ON DELETE CASCADE, "gateway_group_id" uuid NOT NULL CONSTRAINT "fz_resource_connections_gateway_group_id_fkey" REFERENCES "expert_network"."fz_gateway_groups"("id") ON DELETE CASCADE, "account_id" uuid NOT NULL CONSTRAINT "fz_resource_connections_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id"), PRIMARY KEY ("resource_id", "gateway_group_id"));
CREATE INDEX "fz_resource_connections_gateway_group_id_index" ON "expert_network"."fz_resource_connections" ("gateway_group_id");
CREATE TABLE "expert_network"."fz_actors" ("id" uuid DEFAULT gen_random_uuid(), "name" varchar(255) NOT NULL, "email" varchar(255), "account_id" uuid NOT NULL CONSTRAINT "fz_actors_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id") ON DELETE CASCADE, PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "fz_actors_account_id_id_index" ON "expert_network"."fz_actors" ("account_id", "id");

CREATE OR REPLACE FUNCTION expert_network.fz_notify_actor_changes()
RETURNS trigger AS $$
DECLARE
  row record;
BEGIN
  row := NEW;

  IF (TG_OP = 'DELETE') THEN
    row := OLD;
  END IF;

  PERFORM pg_notify(
    'fz_actors_changed',
    json_build_object(
      'op', TG_OP,
      'row', row_to_json(row)
    )::text
  );

  RETURN row;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER fz_actors_changed
AFTER INSERT OR DELETE ON expert_network.fz_actors
DEFERRABLE
FOR EACH ROW EXECUTE PROCEDURE expert_network.fz_notify_actor_changes();

CREATE OR REPLACE FUNCTION expert_network.fz_enforce_internet_resource_in_internet_gg()
RETURNS TRIGGER
SET search_path = expert_network, pg_catalog, pg_temp
AS $$
DECLARE
  resource_type text;
  site_name text;
  site_managed_by text;
BEGIN
  -- Fetch the resource type and gateway group details
  SELECT r.type INTO resource_type
  FROM fz_resources r
  WHERE r.id = NEW.resource_id;

  SELECT gg.name, gg.managed_by INTO site_name, site_managed_by
  FROM fz_gateway_groups gg
  WHERE gg.id = NEW.gateway_group_id;

  -- Rule 1: Prevent non-'internet' resources in the 'Internet' gateway group
  IF site_name = 'Internet' AND site_managed_by = 'system' AND resource_type != 'internet' THEN
    RAISE EXCEPTION 'Only internet resource type is allowed in the Internet site'
    USING ERRCODE = '23514', CONSTRAINT = 'internet_resource_in_internet_site';
  END IF;

  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fz_internet_resource_in_internet_gg
BEFORE INSERT OR UPDATE OF resource_id, gateway_group_id
ON expert_network.fz_resource_connections
FOR EACH ROW
EXECUTE FUNCTION expert_network.fz_enforce_internet_resource_in_internet_gg();

INSERT INTO "expert_network"."fz_accounts" ("id", "name", "limits") VALUES ('6e4b4a7e-6f3b-4b59-9d55-8b1f4f4f0001', 'Acme', '{"gateway_groups_count": 10}');

-- 20251130143943_rename_gateway_groups_to_sites.exs
ALTER TABLE "expert_network"."fz_gateway_groups" RENAME TO "fz_sites";
ALTER TABLE "expert_network"."fz_resource_connections" RENAME "gateway_group_id" TO "site_id";
ALTER INDEX expert_network.fz_gateway_groups_account_id_name_managed_by_index RENAME TO fz_sites_account_id_name_managed_by_index;
ALTER INDEX expert_network.fz_gateway_groups_account_id_id_index RENAME TO fz_sites_account_id_id_index;
ALTER TABLE expert_network.fz_sites RENAME CONSTRAINT fz_gateway_groups_pkey TO fz_sites_pkey;
ALTER TABLE expert_network.fz_sites RENAME CONSTRAINT fz_gateway_groups_account_id_fkey TO fz_sites_account_id_fkey;
ALTER INDEX expert_network.fz_resource_connections_gateway_group_id_index RENAME TO fz_resource_connections_site_id_index;
ALTER TABLE expert_network.fz_resource_connections RENAME CONSTRAINT fz_resource_connections_gateway_group_id_fkey TO fz_resource_connections_site_id_fkey;

UPDATE fz_accounts
SET limits = jsonb_set(
  limits - 'gateway_groups_count',
  '{sites_count}',
  COALESCE(limits->'gateway_groups_count', 'null'::jsonb)
)
WHERE limits ? 'gateway_groups_count';

DROP TRIGGER IF EXISTS fz_internet_resource_in_internet_gg ON expert_network.fz_resource_connections;

DROP FUNCTION IF EXISTS expert_network.fz_enforce_internet_resource_in_internet_gg();

CREATE OR REPLACE FUNCTION expert_network.fz_enforce_internet_resource_in_internet_site() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = expert_network, pg_catalog, pg_temp
  AS $$
DECLARE
  resource_type text;
  site_name text;
  site_managed_by text;
BEGIN
  -- Fetch the resource type and site details
  SELECT r.type INTO resource_type
  FROM fz_resources r
  WHERE r.id = NEW.resource_id;

  SELECT s.name, s.managed_by INTO site_name, site_managed_by
  FROM fz_sites s
  WHERE s.id = NEW.site_id;

  -- Rule: Prevent non-'internet' resources in the 'Internet' site
  IF (site_name = 'Internet' AND site_managed_by = 'system' AND resource_type != 'internet')
  OR (resource_type = 'internet' AND (site_name != 'Internet' OR site_managed_by != 'system')) THEN
    RAISE EXCEPTION 'Only internet resource type is allowed in the Internet site'
    USING ERRCODE = '23514', CONSTRAINT = 'internet_resource_in_internet_site';
  END IF;

  RETURN NEW;
END;
$$;

CREATE TRIGGER fz_internet_resource_in_internet_site
BEFORE INSERT OR UPDATE OF resource_id, site_id ON expert_network.fz_resource_connections
FOR EACH ROW EXECUTE FUNCTION expert_network.fz_enforce_internet_resource_in_internet_site();

-- 20251214053536_refactor_network_address_allocation.exs
CREATE TABLE "expert_network"."fz_ipv4_addresses" ("account_id" uuid NOT NULL CONSTRAINT "fz_ipv4_addresses_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id") ON DELETE CASCADE, "address" inet NOT NULL, "client_id" uuid, "gateway_id" uuid, "inserted_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("account_id", "address"));
CREATE TABLE "expert_network"."fz_ipv6_addresses" ("account_id" uuid NOT NULL CONSTRAINT "fz_ipv6_addresses_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id") ON DELETE CASCADE, "address" inet NOT NULL, "client_id" uuid, "gateway_id" uuid, "inserted_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("account_id", "address"));

CREATE OR REPLACE FUNCTION expert_network.fz_allocate_address(
  p_account_id uuid,
  p_type text,
  p_cidr cidr,
  p_client_id uuid DEFAULT NULL,
  p_gateway_id uuid DEFAULT NULL
) RETURNS TABLE(account_id uuid, address inet, client_id uuid, gateway_id uuid, inserted_at timestamptz)
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog, pg_temp
AS $$
DECLARE
  v_base_address inet;
  v_max_address inet;
  v_current_max inet;
  v_next_address inet;
  v_max_offset bigint;
  v_total_addresses bigint;
  v_attempts bigint := 0;
BEGIN
  v_base_address := host(p_cidr)::inet;
  v_max_address := host(broadcast(p_cidr))::inet - 1;
  v_max_offset := (v_max_address - v_base_address)::bigint;
  v_total_addresses := v_max_offset;

  -- Find the current max address for this account
  IF p_type = 'ipv4' THEN
    SELECT MAX(a.address) INTO v_current_max
    FROM fz_ipv4_addresses a
    WHERE a.account_id = p_account_id;
  ELSIF p_type = 'ipv6' THEN
    SELECT MAX(a.address) INTO v_current_max
    FROM fz_ipv6_addresses a
    WHERE a.account_id = p_account_id;
  ELSE
    RAISE EXCEPTION 'Invalid address type: %. Must be ipv4 or ipv6', p_type
      USING ERRCODE = 'P0001';
  END IF;

  -- Start from max + 1, or base + 1 if no addresses exist
  IF v_current_max IS NULL THEN
    v_next_address := v_base_address + 1;
  ELSE
    v_next_address := v_current_max + 1;
    -- Wrap around if we've exceeded the max
    IF v_next_address > v_max_address THEN
      v_next_address := v_base_address + 1;
    END IF;
  END IF;

  LOOP
    v_attempts := v_attempts + 1;

    IF v_attempts > v_total_addresses THEN
      RAISE EXCEPTION 'Address pool exhausted for account %', p_account_id
        USING ERRCODE = '53400';
    END IF;

    BEGIN
      IF p_type = 'ipv4' THEN
        RETURN QUERY
        INSERT INTO fz_ipv4_addresses (account_id, address, client_id, gateway_id, inserted_at)
        VALUES (p_account_id, v_next_address, p_client_id, p_gateway_id, NOW())
        RETURNING fz_ipv4_addresses.account_id, fz_ipv4_addresses.address, fz_ipv4_addresses.client_id, fz_ipv4_addresses.gateway_id, fz_ipv4_addresses.inserted_at;
        RETURN;
      ELSIF p_type = 'ipv6' THEN
        RETURN QUERY
        INSERT INTO fz_ipv6_addresses (account_id, address, client_id, gateway_id, inserted_at)
        VALUES (p_account_id, v_next_address, p_client_id, p_gateway_id, NOW())
        RETURNING fz_ipv6_addresses.account_id, fz_ipv6_addresses.address, fz_ipv6_addresses.client_id, fz_ipv6_addresses.gateway_id, fz_ipv6_addresses.inserted_at;
        RETURN;
      END IF;
    EXCEPTION WHEN unique_violation THEN
      -- Move to next address, wrapping if needed
      v_next_address := v_next_address + 1;
      IF v_next_address > v_max_address THEN
        v_next_address := v_base_address + 1;
      END IF;
      CONTINUE;
    END;
  END LOOP;
END;
$$;

-- 20260326000000_create_devices_table.exs
CREATE TABLE "expert_network"."fz_devices" ("account_id" uuid NOT NULL CONSTRAINT "fz_devices_account_id_fkey" REFERENCES "expert_network"."fz_accounts"("id") ON DELETE CASCADE, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" varchar(255) NOT NULL, "firezone_id" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "ipv4" inet NOT NULL, "ipv6" inet NOT NULL, "actor_id" uuid, "site_id" uuid, "verified_at" timestamp(6), "inserted_at" timestamp(6) NOT NULL DEFAULT now(), "updated_at" timestamp(6) NOT NULL DEFAULT now(), CONSTRAINT "fz_devices_actor_id_fkey" FOREIGN KEY ("actor_id","account_id") REFERENCES "expert_network"."fz_actors"("id","account_id"), CONSTRAINT "fz_devices_site_id_fkey" FOREIGN KEY ("site_id","account_id") REFERENCES "expert_network"."fz_sites"("id","account_id"), PRIMARY KEY ("account_id","id"));
ALTER TABLE "expert_network"."fz_devices" ADD CONSTRAINT "fz_devices_type_check" CHECK (type IN ('client', 'gateway'));
ALTER TABLE "expert_network"."fz_devices" ADD CONSTRAINT "fz_device_type_client_fields" CHECK (type != 'client' OR (actor_id IS NOT NULL AND site_id IS NULL));
ALTER TABLE "expert_network"."fz_devices" ADD CONSTRAINT "fz_device_type_gateway_fields" CHECK (type != 'gateway' OR (site_id IS NOT NULL AND actor_id IS NULL));
CREATE UNIQUE INDEX "fz_devices_account_id_actor_id_firezone_id_index" ON "expert_network"."fz_devices" ("account_id", "actor_id", "firezone_id") WHERE type = 'client';
CREATE UNIQUE INDEX "fz_devices_account_id_site_id_firezone_id_index" ON "expert_network"."fz_devices" ("account_id", "site_id", "firezone_id") WHERE type = 'gateway';
CREATE INDEX "fz_devices_account_id_actor_id_index" ON "expert_network"."fz_devices" ("account_id", "actor_id") WHERE actor_id IS NOT NULL;
CREATE UNIQUE INDEX "fz_devices_account_id_ipv4_index" ON "expert_network"."fz_devices" ("account_id", "ipv4");
CREATE UNIQUE INDEX "fz_devices_account_id_ipv6_index" ON "expert_network"."fz_devices" ("account_id", "ipv6");

CREATE OR REPLACE FUNCTION expert_network.fz_find_available_device_address(
  p_account_id uuid,
  p_type text,
  p_cidr cidr
) RETURNS inet
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog, pg_temp
AS $$
DECLARE
  v_base_address inet;
  v_last_address inet;
  v_total_addresses bigint;
  v_start_offset bigint;
  v_current_offset bigint;
  v_candidate inet;
BEGIN
  PERFORM pg_advisory_xact_lock(
    ('x' || substr(md5(p_account_id::text || ':' || p_type), 1, 16))::bit(64)::bigint
  );

  v_base_address := host(p_cidr)::inet;
  v_last_address := host(broadcast(p_cidr))::inet - 1;
  v_total_addresses := (v_last_address - v_base_address)::bigint;

  IF p_type NOT IN ('ipv4', 'ipv6') THEN
    RAISE EXCEPTION 'Invalid address type: %. Must be ipv4 or ipv6', p_type
      USING ERRCODE = 'P0001';
  END IF;

  IF v_total_addresses < 1 THEN
    RAISE EXCEPTION 'Address pool % has no allocatable host addresses', p_cidr
      USING ERRCODE = '22023';
  END IF;

  v_start_offset := floor(random() * v_total_addresses)::bigint + 1;
  v_current_offset := v_start_offset;

  LOOP
    v_candidate := v_base_address + v_current_offset;

    IF p_type = 'ipv4' THEN
      PERFORM 1
      FROM fz_devices d
      WHERE d.account_id = p_account_id
        AND d.ipv4 = v_candidate;
    ELSE
      PERFORM 1
      FROM fz_devices d
      WHERE d.account_id = p_account_id
        AND d.ipv6 = v_candidate;
    END IF;

    IF NOT FOUND THEN
      RETURN v_candidate;
    END IF;

    v_current_offset := v_current_offset + 1;

    IF v_current_offset > v_total_addresses THEN
      v_current_offset := 1;
    END IF;

    IF v_current_offset = v_start_offset THEN
      RAISE EXCEPTION 'Address pool exhausted for account %', p_account_id
        USING ERRCODE = '53400';
    END IF;
  END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION expert_network.fz_assign_device_network_addresses()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  v_ipv4_cidr constant cidr := '100.64.0.0/11';
  v_ipv6_cidr constant cidr := 'fd00:2021:1111::/107';
BEGIN
  IF NEW.ipv4 IS NULL THEN
    NEW.ipv4 := fz_find_available_device_address(NEW.account_id, 'ipv4', v_ipv4_cidr);
  END IF;

  IF NEW.ipv6 IS NULL THEN
    NEW.ipv6 := fz_find_available_device_address(NEW.account_id, 'ipv6', v_ipv6_cidr);
  END IF;

  RETURN NEW;
END;
$$;

CREATE TRIGGER fz_assign_device_network_addresses
BEFORE INSERT ON expert_network.fz_devices
FOR EACH ROW
WHEN (NEW.ipv4 IS NULL OR NEW.ipv6 IS NULL)
EXECUTE FUNCTION expert_network.fz_assign_device_network_addresses();

CREATE TABLE "expert_network"."fz_client_sessions" ("id" uuid DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "client_id" uuid NOT NULL, "inserted_at" timestamp(6) NOT NULL DEFAULT now(), PRIMARY KEY ("id"));
CREATE INDEX "fz_client_sessions_account_id_client_id_inserted_at_index" ON "expert_network"."fz_client_sessions" ("account_id", "client_id", "inserted_at");
ALTER TABLE "expert_network"."fz_client_sessions" RENAME "client_id" TO "device_id";
ALTER INDEX expert_network.fz_client_sessions_account_id_client_id_inserted_at_index RENAME TO fz_client_sessions_account_id_device_id_inserted_at_index;
ALTER TABLE expert_network.fz_client_sessions
ADD CONSTRAINT fz_client_sessions_device_id_fkey
FOREIGN KEY (account_id, device_id)
REFERENCES expert_network.fz_devices(account_id, id)
ON DELETE CASCADE;

INSERT INTO fz_actors (id, name, account_id) VALUES ('6e4b4a7e-6f3b-4b59-9d55-8b1f4f4f0002', 'Jane', '6e4b4a7e-6f3b-4b59-9d55-8b1f4f4f0001');
INSERT INTO fz_devices (account_id, type, firezone_id, name, actor_id)
VALUES ('6e4b4a7e-6f3b-4b59-9d55-8b1f4f4f0001', 'client', 'fz-1', 'laptop', '6e4b4a7e-6f3b-4b59-9d55-8b1f4f4f0002');
