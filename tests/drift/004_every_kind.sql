-- 004_every_kind.sql: one object of each kind that `verify --drift` describes, so that its tests
-- can change each by hand and see it named. Applied after the shipped migrations (tests/drift.rs).

CREATE TYPE expert_network.dk_status AS ENUM ('new', 'open', 'closed');

CREATE DOMAIN expert_network.dk_email AS text
    CONSTRAINT dk_email_check CHECK (VALUE LIKE '%@%');

CREATE SEQUENCE expert_network.dk_ticket_seq INCREMENT BY 1;

CREATE TABLE expert_network.dk_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label text NOT NULL,
    code text,
    note text COLLATE "C",
    qty integer NOT NULL DEFAULT 0,
    double_qty integer GENERATED ALWAYS AS (qty * 2) STORED,
    status expert_network.dk_status NOT NULL DEFAULT 'new',
    contact expert_network.dk_email,
    ticket bigint DEFAULT nextval('expert_network.dk_ticket_seq'),
    owner_id text NOT NULL,
    CONSTRAINT dk_items_qty_check CHECK (qty >= 0)
);
ALTER SEQUENCE expert_network.dk_ticket_seq OWNED BY expert_network.dk_items.ticket;

CREATE TABLE expert_network.dk_parts (
    id integer PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES expert_network.dk_items (id) ON DELETE CASCADE
);
CREATE SEQUENCE expert_network.dk_order_seq OWNED BY expert_network.dk_parts.id;

CREATE INDEX dk_items_owner_idx ON expert_network.dk_items (owner_id);
CREATE INDEX dk_items_status_idx ON expert_network.dk_items (status) WHERE status <> 'closed';
CREATE INDEX dk_parts_item_idx ON expert_network.dk_parts (item_id);

CREATE VIEW expert_network.dk_open_items AS
    SELECT id, label FROM expert_network.dk_items WHERE status = 'open';
CREATE MATERIALIZED VIEW expert_network.dk_item_counts AS
    SELECT status, count(*) AS n FROM expert_network.dk_items GROUP BY status;

CREATE FUNCTION expert_network.dk_fn_body() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION expert_network.dk_fn_volatility() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT 2 $$;
CREATE FUNCTION expert_network.dk_fn_definer() RETURNS integer LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog AS $$ SELECT 3 $$;
CREATE FUNCTION expert_network.dk_fn_path() RETURNS integer LANGUAGE sql
    SET search_path = pg_catalog AS $$ SELECT 4 $$;
CREATE PROCEDURE expert_network.dk_reset(p_id bigint) LANGUAGE sql
    AS $$ UPDATE expert_network.dk_items SET qty = 0 WHERE id = p_id $$;
CREATE FUNCTION expert_network.dk_touch() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog AS $$
BEGIN
    NEW.qty := NEW.qty;
    RETURN NEW;
END
$$;

CREATE TRIGGER dk_items_touch BEFORE UPDATE ON expert_network.dk_items
    FOR EACH ROW EXECUTE FUNCTION expert_network.dk_touch();

ALTER TABLE expert_network.dk_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY dk_items_owner ON expert_network.dk_items FOR SELECT TO ${app_role}
    USING (owner_id = current_user);

COMMENT ON TABLE expert_network.dk_items IS 'One row of every kind.';
GRANT SELECT ON expert_network.dk_open_items TO ${readonly_role};
