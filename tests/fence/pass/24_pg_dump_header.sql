--
-- PostgreSQL database dump
--

-- Pass corpus 24: the head of a pg_dump --inserts of pagila, re-homed into expert_network: the
-- session header pg_dump writes (every SET of it, and set_config('search_path', '', false)),
-- then objects all qualified, the way pg_dump writes them under an empty search_path.

-- Dumped from database version 15.10
-- Dumped by pg_dump version 15.10

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

--
-- Name: mpaa_rating; Type: TYPE; Schema: expert_network; Owner: -
--

CREATE TYPE expert_network.pp_mpaa_rating AS ENUM (
    'G',
    'PG',
    'PG-13',
    'R',
    'NC-17'
);

--
-- Name: year; Type: DOMAIN; Schema: expert_network; Owner: -
--

CREATE DOMAIN expert_network.pp_year AS integer
	CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));

--
-- Name: last_updated(); Type: FUNCTION; Schema: expert_network; Owner: -
--

CREATE FUNCTION expert_network.pp_last_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END $$;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: actor; Type: TABLE; Schema: expert_network; Owner: -
--

CREATE TABLE expert_network.pp_actor (
    actor_id integer NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: actor_actor_id_seq; Type: SEQUENCE; Schema: expert_network; Owner: -
--

CREATE SEQUENCE expert_network.pp_actor_actor_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: actor_actor_id_seq; Type: SEQUENCE OWNED BY; Schema: expert_network; Owner: -
--

ALTER SEQUENCE expert_network.pp_actor_actor_id_seq OWNED BY expert_network.pp_actor.actor_id;

--
-- Name: film; Type: TABLE; Schema: expert_network; Owner: -
--

CREATE TABLE expert_network.pp_film (
    film_id integer NOT NULL,
    title text NOT NULL,
    description text,
    release_year expert_network.pp_year,
    rating expert_network.pp_mpaa_rating DEFAULT 'G'::expert_network.pp_mpaa_rating,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    special_features text[],
    fulltext tsvector NOT NULL
);

--
-- Name: actor actor_id; Type: DEFAULT; Schema: expert_network; Owner: -
--

ALTER TABLE ONLY expert_network.pp_actor ALTER COLUMN actor_id SET DEFAULT nextval('expert_network.pp_actor_actor_id_seq'::regclass);

--
-- Data for Name: actor; Type: TABLE DATA; Schema: expert_network; Owner: -
--

INSERT INTO expert_network.pp_actor VALUES (1, 'PENELOPE', 'GUINESS', '2022-02-15 09:34:33+00');
INSERT INTO expert_network.pp_actor VALUES (2, 'NICK', 'WAHLBERG', '2022-02-15 09:34:33+00');

--
-- Name: actor_actor_id_seq; Type: SEQUENCE SET; Schema: expert_network; Owner: -
--

SELECT pg_catalog.setval('expert_network.pp_actor_actor_id_seq', 2, true);

--
-- Name: actor actor_pkey; Type: CONSTRAINT; Schema: expert_network; Owner: -
--

ALTER TABLE ONLY expert_network.pp_actor
    ADD CONSTRAINT actor_pkey PRIMARY KEY (actor_id);

ALTER TABLE ONLY expert_network.pp_film
    ADD CONSTRAINT film_pkey PRIMARY KEY (film_id);

--
-- Name: film_fulltext_idx; Type: INDEX; Schema: expert_network; Owner: -
--

CREATE INDEX film_fulltext_idx ON expert_network.pp_film USING gist (fulltext);

CREATE INDEX idx_actor_last_name ON expert_network.pp_actor USING btree (last_name);

--
-- Name: film film_fulltext_trigger; Type: TRIGGER; Schema: expert_network; Owner: -
--

CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON expert_network.pp_film FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title', 'description');

--
-- Name: actor last_updated; Type: TRIGGER; Schema: expert_network; Owner: -
--

CREATE TRIGGER last_updated BEFORE UPDATE ON expert_network.pp_actor FOR EACH ROW EXECUTE FUNCTION expert_network.pp_last_updated();

--
-- PostgreSQL database dump complete
--
