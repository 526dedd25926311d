-- Pass corpus 148: Lago's Rails db/structure.sql (getlago/lago-api, commit
-- 1b1c24a6a6c321d7900b05906bf1b20f706c97c2, db/structure.sql), trimmed to the idioms a Rails
-- application's structure file carries around its tables: pg_dump's --clean header (`DROP ... IF
-- EXISTS` of what it is about to make, `set_config('search_path', '', false)`), an enum, a trigger
-- function `ensure_role_consistency()` and its `BEFORE UPDATE` trigger, pg_dump's placeholder view
-- (`CREATE VIEW ... AS SELECT NULL::uuid AS organization_id, ...`) replaced later by `CREATE OR
-- REPLACE VIEW` with its real query, Rails' own `ar_internal_metadata` and `schema_migrations`
-- tables, and Rails' footer: `SET search_path TO <schema_search_path>;` and `INSERT INTO
-- "schema_migrations" (version) VALUES (...)`, unqualified, into the table the file made above.
-- Re-homed as Rails dumps it with `schema_search_path: expert_network`: pg_dump's `public.`
-- written `expert_network.`, and the footer's path that schema (Rails writes
-- `SET search_path TO #{schema_search_path}`); Lago's tables prefixed pp_lg_, but Rails' tracker
-- keeps its name, as the idiom is its name. Left out, refused and rightly: `CREATE SCHEMA partman`
-- and `CREATE EXTENSION pg_partman WITH SCHEMA partman` (outside-schema, database-wide), the
-- header's `DROP EXTENSION IF EXISTS pgcrypto` (PG 15: it drops the database's one, public's
-- included), and `set_payment_receipt_number()`, a trigger function whose body names invoices,
-- payments and customers unqualified with no path of its own (it runs under the writer's path).
-- The fence refused the footer's INSERT as "the name of en-migrate's tracker" though the path it
-- runs under (expert_network, pg_temp, pg_catalog) never holds public: it finds the table this file
-- made. PG 15: the INSERT filled expert_network.schema_migrations, public.schema_migrations unchanged.
SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

DROP TRIGGER IF EXISTS ensure_consistency ON expert_network.pp_lg_roles;
ALTER TABLE IF EXISTS ONLY expert_network.schema_migrations DROP CONSTRAINT IF EXISTS schema_migrations_pkey;
ALTER TABLE IF EXISTS ONLY expert_network.ar_internal_metadata DROP CONSTRAINT IF EXISTS ar_internal_metadata_pkey;
DROP VIEW IF EXISTS expert_network.pp_lg_billable_metrics_grouped_charges;
DROP TABLE IF EXISTS expert_network.schema_migrations;
DROP TABLE IF EXISTS expert_network.pp_lg_roles;
DROP TABLE IF EXISTS expert_network.pp_lg_charges;
DROP TABLE IF EXISTS expert_network.pp_lg_billable_metrics;
DROP TABLE IF EXISTS expert_network.ar_internal_metadata;
DROP FUNCTION IF EXISTS expert_network.pp_lg_ensure_role_consistency();
DROP TYPE IF EXISTS expert_network.pp_lg_customer_type;

--
-- Name: customer_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE expert_network.pp_lg_customer_type AS ENUM (
    'company',
    'individual'
);

--
-- Name: ensure_role_consistency(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION expert_network.pp_lg_ensure_role_consistency() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN IF OLD.organization_id IS NULL THEN RAISE EXCEPTION 'Predefined role cannot be modified'; ELSIF OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN RAISE EXCEPTION 'Custom role cannot be moved to another organization'; ELSIF OLD.code IS DISTINCT FROM NEW.code THEN RAISE EXCEPTION 'The code of the role cannot be changed'; ELSIF NEW.permissions != OLD.permissions THEN NEW.permissions := ARRAY(SELECT DISTINCT unnest(NEW.permissions) ORDER BY 1); END IF; RETURN NEW; END; $$;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE expert_network.ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);

CREATE TABLE expert_network.pp_lg_billable_metrics (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name character varying NOT NULL,
    code character varying NOT NULL,
    aggregation_type integer NOT NULL,
    field_name character varying,
    deleted_at timestamp(6) without time zone
);

--
-- Name: billable_metrics_grouped_charges; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW expert_network.pp_lg_billable_metrics_grouped_charges AS
SELECT
    NULL::uuid AS organization_id,
    NULL::character varying AS code,
    NULL::integer AS aggregation_type,
    NULL::character varying AS field_name,
    NULL::uuid AS plan_id,
    NULL::uuid AS charge_id,
    NULL::boolean AS pay_in_advance,
    NULL::jsonb AS grouped_by;

CREATE TABLE expert_network.pp_lg_charges (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    billable_metric_id uuid,
    plan_id uuid,
    charge_model integer DEFAULT 0 NOT NULL,
    properties jsonb DEFAULT '"{}"'::jsonb NOT NULL,
    pay_in_advance boolean DEFAULT false NOT NULL,
    deleted_at timestamp(6) without time zone
);

CREATE TABLE expert_network.pp_lg_roles (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid,
    code character varying NOT NULL,
    admin boolean DEFAULT false NOT NULL,
    permissions character varying[] DEFAULT '{}'::character varying[] NOT NULL,
    name character varying NOT NULL,
    description character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL,
    deleted_at timestamp(6) without time zone,
    CONSTRAINT code_is_valid CHECK (((code)::text ~ '^[a-z0-9_]{1,100}$'::text)),
    CONSTRAINT custom_role_should_have_permissions CHECK (((organization_id IS NULL) OR (cardinality(permissions) > 0))),
    CONSTRAINT description_max_length CHECK ((length((description)::text) <= 255)),
    CONSTRAINT name_is_valid CHECK (((name)::text ~ '^.{1,100}$'::text))
);

CREATE TABLE expert_network.schema_migrations (
    version character varying NOT NULL
);

ALTER TABLE ONLY expert_network.ar_internal_metadata
    ADD CONSTRAINT ar_internal_metadata_pkey PRIMARY KEY (key);

ALTER TABLE ONLY expert_network.pp_lg_billable_metrics
    ADD CONSTRAINT pp_lg_billable_metrics_pkey PRIMARY KEY (id);

ALTER TABLE ONLY expert_network.pp_lg_charges
    ADD CONSTRAINT pp_lg_charges_pkey PRIMARY KEY (id);

ALTER TABLE ONLY expert_network.pp_lg_roles
    ADD CONSTRAINT pp_lg_roles_pkey PRIMARY KEY (id);

ALTER TABLE ONLY expert_network.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

CREATE UNIQUE INDEX index_pp_lg_roles_by_unique_code_per_organization ON expert_network.pp_lg_roles USING btree (organization_id, code) WHERE (deleted_at IS NULL);

--
-- Name: billable_metrics_grouped_charges _RETURN; Type: RULE; Schema: public; Owner: -
--

CREATE OR REPLACE VIEW expert_network.pp_lg_billable_metrics_grouped_charges AS
 SELECT billable_metrics.organization_id,
    billable_metrics.code,
    billable_metrics.aggregation_type,
    billable_metrics.field_name,
    charges.plan_id,
    charges.id AS charge_id,
    charges.pay_in_advance,
        CASE
            WHEN (charges.charge_model = 0) THEN (charges.properties -> 'grouped_by'::text)
            ELSE NULL::jsonb
        END AS grouped_by
   FROM (expert_network.pp_lg_billable_metrics billable_metrics
     JOIN expert_network.pp_lg_charges charges ON ((charges.billable_metric_id = billable_metrics.id)))
  WHERE ((billable_metrics.deleted_at IS NULL) AND (charges.deleted_at IS NULL))
  GROUP BY billable_metrics.organization_id, billable_metrics.code, billable_metrics.aggregation_type, billable_metrics.field_name, charges.plan_id, charges.id;

--
-- Name: roles ensure_consistency; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ensure_consistency BEFORE UPDATE ON expert_network.pp_lg_roles FOR EACH ROW EXECUTE FUNCTION expert_network.pp_lg_ensure_role_consistency();

ALTER TABLE ONLY expert_network.pp_lg_charges
    ADD CONSTRAINT fk_rails_7eecfa2e3a FOREIGN KEY (billable_metric_id) REFERENCES expert_network.pp_lg_billable_metrics(id);

--
-- PostgreSQL database dump complete
--

SET search_path TO expert_network;

INSERT INTO "schema_migrations" (version) VALUES
('20260710093947'),
('20260109132143'),
('20260109092932'),
('20250122112050');

