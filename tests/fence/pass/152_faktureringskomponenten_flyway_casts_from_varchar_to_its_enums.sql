-- Pass corpus 152: navikt/faktureringskomponenten's Flyway migrations
-- (src/main/resources/db/migration/V1__Initial.sql at commit
-- 3489c9f83466b46aadd14483115e041359bea6a0, V7__fakturaGjelder-blir-enum.sql and
-- V12__utvide_fakturaserie_og_fakturaseriestatus_enum.sql): Hibernate's idiom for PostgreSQL enums,
-- a `CREATE CAST (character varying as <enum>) WITH INOUT AS IMPLICIT` beside every enum type, so
-- that the varchar Hibernate binds is taken as the enum; then an enum made for a column that was
-- varchar, the column changed to it `USING` a constant, and a value added to an enum. Re-homed into
-- expert_network: `SET search_path TO expert_network` for the path Flyway sets to its default
-- schema (the project's SQL names none), the tables prefixed pp_fk_. The fence refused every cast
-- ("CREATE CAST reaches beyond schema expert_network"), though a cast from or to a type of
-- expert_network reaches only expressions over that type: psql on PG 15, with such casts made to and
-- from an enum of expert_network, an application's `v = 'a'`, `v = s`, `g(v)`, `v || 'x'` and
-- `v < 'b'` over a varchar column of public planned exactly as before. A cast between two built-in
-- types stays refused (refuse corpus 134).
SET search_path TO expert_network;

CREATE TYPE pp_fk_fakturaserie_status AS ENUM (
    'OPPRETTET',
    'UNDER_BESTILLING',
    'KANSELLERT',
    'FERDIG'
);
CREATE CAST (character varying as pp_fk_fakturaserie_status) WITH INOUT AS IMPLICIT;

CREATE TYPE pp_fk_fakturaserie_intervall AS ENUM (
    'MANEDLIG',
    'KVARTAL'
);
CREATE CAST (character varying as pp_fk_fakturaserie_intervall) WITH INOUT AS IMPLICIT;


CREATE TYPE pp_fk_faktura_status AS ENUM (
    'OPPRETTET',
    'BESTILLT',
    'KANSELLERT'
);
CREATE CAST (character varying as pp_fk_faktura_status) WITH INOUT AS IMPLICIT;

CREATE TABLE pp_fk_fakturaserie
(
    id                             SERIAL PRIMARY KEY,
    vedtaks_id                     VARCHAR(20) UNIQUE NOT NULL,
    faktura_gjelder                VARCHAR(240)       NOT NULL,
    fodselsnummer                  NUMERIC(11)        NOT NULL,
    fullmektig_fodselsnummer       NUMERIC(11),
    fullmektig_organisasjonsnummer VARCHAR(20),
    fullmektig_kontaktperson       VARCHAR,
    referanse_bruker               VARCHAR            NOT NULL,
    referanse_nav                  VARCHAR            NOT NULL,
    startdato                      DATE,
    sluttdato                      DATE,
    status                         pp_fk_fakturaserie_status,
    intervall                      pp_fk_fakturaserie_intervall,
    opprettet_Tidspunkt            DATE
);

CREATE TABLE pp_fk_faktura
(
    id              SERIAL PRIMARY KEY,
    fakturaserie_id INT NOT NULL,
    dato_bestilt    DATE,
    status          pp_fk_faktura_status,
    CONSTRAINT fk_fakturaserie FOREIGN KEY (fakturaserie_id) REFERENCES pp_fk_fakturaserie (id)
);

CREATE TABLE pp_fk_faktura_linje
(
    id          SERIAL PRIMARY KEY,
    faktura_id  INT NOT NULL,
    periode_fra DATE,
    periode_til DATE,
    beskrivelse VARCHAR(240) NOT NULL,
    belop       NUMERIC(10, 2),
    CONSTRAINT fk_faktura FOREIGN KEY (faktura_id) REFERENCES pp_fk_faktura (id)
);

-- V7: the varchar column becomes an enum, with its cast.
CREATE TYPE pp_fk_innbetalingstype AS ENUM (
    'TRYGDEAVGIFT'
);
CREATE CAST (character varying as pp_fk_innbetalingstype) WITH INOUT AS IMPLICIT;

ALTER TABLE pp_fk_fakturaserie ALTER COLUMN faktura_gjelder TYPE pp_fk_innbetalingstype USING 'TRYGDEAVGIFT';
ALTER TABLE pp_fk_fakturaserie RENAME COLUMN faktura_gjelder TO faktura_gjelder_innbetalingstype;

-- V12
ALTER TYPE pp_fk_fakturaserie_status
    ADD VALUE 'ERSTATTET';

ALTER TABLE pp_fk_fakturaserie
    ADD COLUMN erstattet_med INT;

ALTER TABLE pp_fk_fakturaserie
    ADD CONSTRAINT fk_erstattet_med
    FOREIGN KEY (erstattet_med)
    REFERENCES pp_fk_fakturaserie(id)
    ON DELETE CASCADE;

-- What Hibernate then sends: a varchar bound where the enum is written.
INSERT INTO pp_fk_fakturaserie (vedtaks_id, faktura_gjelder_innbetalingstype, fodselsnummer, referanse_bruker, referanse_nav, status, intervall)
VALUES ('V-1', 'TRYGDEAVGIFT'::varchar, 12345678901, 'bruker', 'nav', 'OPPRETTET'::varchar, 'KVARTAL'::varchar);
