-- Refuse corpus 25: an unterminated dollar-quoted function body at the end of the file.
-- The statements before it must still be checked; the broken one is a parse error.

CREATE TABLE expert_network.eof_probe (id integer PRIMARY KEY);

-- refuse: parse-error
CREATE FUNCTION expert_network.eof_body() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.session;
END;
