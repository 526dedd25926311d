-- Pass corpus 35: PL/pgSQL functions with a VARIADIC parameter, in both spellings the grammar takes
-- (`VARIADIC name type` and `name VARIADIC type`). The second is the common Heroku/Rails workaround
-- for an immutable concat_ws usable in index expressions and generated columns, written as:
--   CREATE OR REPLACE FUNCTION immutable_concat_ws(delim text, parts VARIADIC text[]) RETURNS text
--   AS $$ DECLARE BEGIN RETURN array_to_string(parts, delim); END; $$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;
-- libpg_query's PL/pgSQL parser refused every one ("VARIADIC parameter must be an array": it checks
-- the type through a catalog it does not have). Applied with psql on PG 15.

CREATE OR REPLACE FUNCTION expert_network.immutable_concat_ws(delim text, parts VARIADIC text[])
RETURNS text AS $$
DECLARE
BEGIN
  RETURN array_to_string(parts, delim);
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

CREATE TABLE expert_network.pass_variadic_people (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    full_name text GENERATED ALWAYS AS (expert_network.immutable_concat_ws(' ', first_name, last_name)) STORED
);

CREATE INDEX pass_variadic_people_search ON expert_network.pass_variadic_people
    (lower(expert_network.immutable_concat_ws(' ', last_name, first_name)));

-- Polymorphic, with the mode first, and a body that reads expert_network.
CREATE FUNCTION expert_network.pass_first_known(VARIADIC ids anycompatiblearray)
RETURNS anycompatible
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  i integer;
BEGIN
  FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
    IF EXISTS (SELECT 1 FROM expert_network.pass_variadic_people p WHERE p.id = ids[i]) THEN
      RETURN ids[i];
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

INSERT INTO expert_network.pass_variadic_people (first_name, last_name) VALUES ('Ada', 'Lovelace');
SELECT expert_network.pass_first_known(VARIADIC ARRAY[0, 1]::bigint[]);
