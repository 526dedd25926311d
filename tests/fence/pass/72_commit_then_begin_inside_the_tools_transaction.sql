-- +migrate Up
-- Pass corpus 72: a file that splits the transaction its tool runs it in with `COMMIT; BEGIN;`, as
-- heroiclabs/nakama (commit 73ad9c15d64e75eba241a80211ba1adb94019010) writes in
-- migrate/sql/20250926112031-console-fine-grained-acl.sql between an ALTER TABLE ... ADD COLUMN
-- and the UPDATE that fills it ("Needed because CockroachDB does not allow ALTER TABLE ... UPDATE in a
-- transaction block"); sql-migrate, which Nakama runs, wraps the Up half in a transaction, so the pair
-- commits the first half and opens the second. Re-homed into expert_network: the table of
-- 20201005180855-console.sql qualified (names prefixed pp_nk_, cut to the columns used), the rest as
-- Nakama wrote it. The fence refused the COMMIT and the BEGIN as transaction control; en-migrate now
-- drops such a pair (a plain COMMIT with no block open, then at once a plain BEGIN) as it drops Prisma's
-- blocks, and both halves run in its one transaction, which PostgreSQL allows (psql on PG 15 applied
-- the file as one transaction). Nakama's other split, `COMMIT; CREATE INDEX CONCURRENTLY ...; BEGIN;`
-- (20260319134532-add-display-name-index.sql), stays refused: it needs a no-transaction file.
CREATE TABLE IF NOT EXISTS expert_network.pp_nk_console_user (
    PRIMARY KEY (id),

    create_time  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    email        VARCHAR(255) NOT NULL CONSTRAINT pp_nk_console_user_email_uniq UNIQUE,
    id           UUID         NOT NULL,
    role         SMALLINT     NOT NULL DEFAULT 4 CHECK (role >= 1), -- unused(0), admin(1), developer(2), maintainer(3), readonly(4)
    username     VARCHAR(128) NOT NULL CONSTRAINT pp_nk_console_user_username_uniq UNIQUE
);
INSERT INTO expert_network.pp_nk_console_user (email, id, role, username)
    VALUES ('admin@example.com', '00000000-0000-0000-0000-000000000001', 1, 'admin');

ALTER TABLE pp_nk_console_user ADD COLUMN IF NOT EXISTS acl JSONB NOT NULL DEFAULT '{"admin":false}'::JSONB;

-- Needed because CockroachDB does not allow ALTER TABLE ... UPDATE in a transaction block.
COMMIT;
BEGIN;

UPDATE pp_nk_console_user
    SET acl = CASE
        WHEN role = 1 THEN '{"admin":true}'::JSONB
        ELSE '{"admin":false}'::JSONB
    END;
ALTER TABLE pp_nk_console_user DROP COLUMN IF EXISTS role;
