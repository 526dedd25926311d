-- Pass corpus 25: the shape of a Rails db/structure.sql (schema_search_path: expert_network): the
-- pg_dump header, tables, and Rails' footer that sets the search_path and fills its own
-- schema_migrations, here expert_network's pp_rails_schema_migrations, written unqualified.
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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: ar_internal_metadata; Type: TABLE; Schema: expert_network; Owner: -
--

CREATE TABLE expert_network.pp_ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);

CREATE TABLE expert_network.pp_rails_schema_migrations (
    version character varying NOT NULL
);

CREATE TABLE expert_network.pp_rails_articles (
    id bigint NOT NULL,
    title character varying,
    body text,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);

CREATE SEQUENCE expert_network.pp_rails_articles_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE expert_network.pp_rails_articles_id_seq OWNED BY expert_network.pp_rails_articles.id;

ALTER TABLE ONLY expert_network.pp_rails_articles ALTER COLUMN id SET DEFAULT nextval('expert_network.pp_rails_articles_id_seq'::regclass);

ALTER TABLE ONLY expert_network.pp_ar_internal_metadata
    ADD CONSTRAINT pp_ar_internal_metadata_pkey PRIMARY KEY (key);

ALTER TABLE ONLY expert_network.pp_rails_articles
    ADD CONSTRAINT pp_rails_articles_pkey PRIMARY KEY (id);

ALTER TABLE ONLY expert_network.pp_rails_schema_migrations
    ADD CONSTRAINT pp_rails_schema_migrations_pkey PRIMARY KEY (version);

SET search_path TO expert_network;

INSERT INTO "pp_rails_schema_migrations" (version) VALUES
('20240115093000'),
('20240101120000');
