-- Refuse corpus 02: reads and writes of public tables from every position a query has:
-- FROM, JOIN, LATERAL, subqueries in the select list / WHERE / ORDER BY / HAVING, CTEs
-- (including data-modifying ones), set operations, UPDATE ... FROM, DELETE ... USING,
-- INSERT ... SELECT, ON CONFLICT, RETURNING, MERGE, COPY ... TO STDOUT, EXPLAIN ANALYZE.

-- refuse: touches-public
SELECT * FROM public."user";
-- refuse: touches-public
SELECT id, email FROM public.user WHERE email LIKE '%@example.com';
-- refuse: touches-public
TABLE public.session;
-- refuse: touches-public
SELECT c.*, u.email AS user_email, u.name AS user_name
FROM expert_network.campaigns c
JOIN public.user u ON c.user_id = u.id
WHERE c.id = '00000000-0000-0000-0000-000000000000';
-- refuse: touches-public
SELECT c.id FROM expert_network.campaigns c LEFT JOIN public.account a ON a."userId" = c.user_id;
-- refuse: touches-public
SELECT c.id FROM expert_network.campaigns c, public.session s WHERE s."userId" = c.user_id;
-- refuse: touches-public
SELECT c.id, latest.token
FROM expert_network.campaigns c
CROSS JOIN LATERAL (
    SELECT s.token FROM public.session s WHERE s."userId" = c.user_id LIMIT 1
) AS latest;
-- refuse: touches-public
SELECT c.id, (SELECT u.email FROM public."user" u WHERE u.id = c.user_id) AS email
FROM expert_network.campaigns c;
-- refuse: touches-public
SELECT c.id FROM expert_network.campaigns c
WHERE c.user_id IN (SELECT id FROM public."user" WHERE "emailVerified");
-- refuse: touches-public
SELECT c.id FROM expert_network.campaigns c
WHERE EXISTS (SELECT 1 FROM public.session s WHERE s."userId" = c.user_id);
-- refuse: touches-public
SELECT c.id FROM expert_network.campaigns c
WHERE c.user_id = ANY (ARRAY(SELECT id FROM public."user"));
-- refuse: touches-public
SELECT id FROM expert_network.campaigns UNION SELECT id::uuid FROM public.project;
-- refuse: touches-public
SELECT user_id FROM expert_network.campaigns EXCEPT SELECT id FROM public."user";
-- refuse: touches-public
SELECT user_id FROM expert_network.campaigns INTERSECT ALL SELECT "userId" FROM public.account;
-- refuse: touches-public
SELECT c.id FROM expert_network.campaigns c
ORDER BY (SELECT count(*) FROM public.session s WHERE s."userId" = c.user_id);
-- refuse: touches-public
SELECT c.user_id, count(*) FROM expert_network.campaigns c
GROUP BY c.user_id
HAVING count(*) > (SELECT count(*) FROM public.organization);
-- refuse: touches-public
SELECT CASE WHEN EXISTS (SELECT FROM public.alembic_version) THEN 'shared' ELSE 'alone' END;
-- refuse: touches-public
SELECT coalesce((SELECT max(version_num) FROM public.alembic_version), 'none');
-- refuse: touches-public
WITH u AS (SELECT id FROM public."user")
SELECT c.* FROM expert_network.campaigns c JOIN u ON u.id = c.user_id;
-- refuse: touches-public
WITH gone AS (DELETE FROM public.session RETURNING *) SELECT count(*) FROM gone;
-- refuse: touches-public
WITH gone AS (
    DELETE FROM public.session WHERE "expiresAt" < now() RETURNING "userId"
)
INSERT INTO expert_network.audit_log (user_id, action)
SELECT "userId", 'logout' FROM gone;
-- refuse: touches-public
WITH RECURSIVE tree AS (
    SELECT id, parent_id FROM public.collections WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, c.parent_id FROM public.collections c JOIN tree t ON c.parent_id = t.id
)
SELECT count(*) FROM tree;
-- refuse: touches-public
WITH x AS MATERIALIZED (UPDATE public."user" SET role = 'admin' RETURNING id) SELECT * FROM x;
-- refuse: touches-public
SELECT * FROM expert_network.campaigns
WHERE user_id IN (WITH s AS (SELECT "userId" FROM public.session) SELECT "userId" FROM s);
-- refuse: touches-public
SELECT * FROM ONLY public.documents;
-- refuse: touches-public
SELECT * FROM public.documents TABLESAMPLE SYSTEM (1);
-- refuse: touches-public
SELECT s.* FROM public.session s FOR UPDATE SKIP LOCKED;
-- refuse: touches-public
SELECT * FROM ROWS FROM (public.list_users()) AS t (id text);
-- refuse: touches-public
SELECT public.set_updated_at();
-- refuse: touches-public
SELECT * FROM public.search_chunks('expert') AS r;
-- refuse: touches-public
SELECT 1 OPERATOR(public.===) 2;
-- refuse: touches-public
SELECT 'a'::public.citext;
-- refuse: touches-public
SELECT CAST(NULL AS public.chat_role);
-- refuse: touches-public
SELECT ARRAY[]::public.chat_role[];
-- refuse: touches-public
SELECT 'abc' COLLATE public.case_insensitive;
-- refuse: touches-public
INSERT INTO public."user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
VALUES ('en-admin', 'Expert Admin', 'admin@example.com', true, now(), now());
-- refuse: touches-public
INSERT INTO public.session (id, token, "userId", "expiresAt")
SELECT gen_random_uuid()::text, md5(random()::text), id, now() + interval '10 years'
FROM public."user";
-- refuse: touches-public
INSERT INTO expert_network.team_members (user_id, email) SELECT id, email FROM public."user";
-- refuse: touches-public
INSERT INTO expert_network.team_members (user_id, email)
VALUES ((SELECT id FROM public."user" LIMIT 1), 'x@example.com');
-- refuse: touches-public
INSERT INTO expert_network.team_members (user_id, email) VALUES ('u1', 'a@example.com')
ON CONFLICT (user_id) DO UPDATE
SET email = (SELECT u.email FROM public."user" u WHERE u.id = excluded.user_id);
-- refuse: touches-public
INSERT INTO expert_network.team_members (user_id, email) VALUES ('u1', 'a@example.com')
RETURNING (SELECT count(*) FROM public.session);
-- refuse: touches-public
UPDATE public."user" SET "emailVerified" = true;
-- refuse: touches-public
UPDATE public.account SET password = NULL WHERE "providerId" = 'credential';
-- refuse: touches-public
UPDATE expert_network.campaigns c SET owner_email = u.email
FROM public."user" u
WHERE u.id = c.user_id;
-- refuse: touches-public
UPDATE expert_network.campaigns c SET owner_email = u.email
FROM expert_network.team_members t JOIN public."user" u ON u.id = t.user_id
WHERE t.user_id = c.user_id;
-- refuse: touches-public
UPDATE expert_network.campaigns SET owner_email = (SELECT email FROM public."user" WHERE id = user_id);
-- refuse: touches-public
UPDATE expert_network.campaigns SET status = 'archived'
WHERE user_id NOT IN (SELECT id FROM public."user");
-- refuse: touches-public
UPDATE expert_network.campaigns SET status = 'archived'
RETURNING (SELECT email FROM public."user" WHERE id = user_id);
-- refuse: touches-public
DELETE FROM public.session;
-- refuse: touches-public
DELETE FROM public."user" WHERE email LIKE '%@test.example';
-- refuse: touches-public
DELETE FROM expert_network.campaigns c USING public."user" u WHERE u.id = c.user_id AND u.banned;
-- refuse: touches-public
DELETE FROM expert_network.campaigns
WHERE user_id IN (SELECT "userId" FROM public.session WHERE "expiresAt" < now())
RETURNING id;
-- refuse: touches-public
DELETE FROM expert_network.campaigns RETURNING (SELECT email FROM public."user" WHERE id = user_id);
-- refuse: touches-public
MERGE INTO public."user" u
USING expert_network.team_members t ON t.user_id = u.id
WHEN MATCHED THEN UPDATE SET name = t.display_name
WHEN NOT MATCHED THEN DO NOTHING;
-- refuse: touches-public
MERGE INTO expert_network.team_members t
USING public."user" u ON t.user_id = u.id
WHEN NOT MATCHED THEN INSERT (user_id, email) VALUES (u.id, u.email);
-- refuse: touches-public
COPY public."user" TO STDOUT;
-- refuse: touches-public
COPY (SELECT * FROM public.session) TO STDOUT WITH (FORMAT csv);
-- refuse: touches-public
VALUES ((SELECT count(*) FROM public."user"));
-- refuse: touches-public
SELECT * FROM (VALUES (1)) v (n) WHERE n < (SELECT count(*) FROM public.chats);
-- refuse: touches-public
SELECT jsonb_agg(d) FROM public.documents d;
-- refuse: touches-public
SELECT count(*) OVER (PARTITION BY x.a) FROM (SELECT 1 AS a FROM public.project) x;
-- refuse: touches-public
SELECT * FROM expert_network.campaigns c
WHERE (c.user_id, c.id::text) IN (SELECT "userId", id FROM public.account);
-- refuse: touches-public
SELECT * FROM expert_network.campaigns c
JOIN (public.project p JOIN public.project_members pm ON pm.project_id = p.id)
  ON p.id::text = c.project_ref;
-- refuse: touches-public
SELECT * FROM expert_network.campaigns NATURAL JOIN public.project;
-- refuse: touches-public
SELECT * FROM expert_network.campaigns c FULL JOIN public.org_members m USING (user_id);
-- refuse: touches-public
SELECT xmlelement(name users, (SELECT string_agg(email, ',') FROM public."user"));
-- refuse: touches-public
SELECT jt.* FROM public.documents d,
    JSON_TABLE(d.metadata, '$' COLUMNS (title text PATH '$.title')) AS jt;
-- refuse: touches-public
EXPLAIN ANALYZE DELETE FROM public.session;
-- refuse: touches-public
CALL public.cleanup_sessions();
-- refuse: touches-public
CREATE TABLE expert_network.user_snapshot AS SELECT id, email FROM public."user";
-- refuse: touches-public
CREATE TABLE expert_network.user_snapshot2 AS TABLE public."user" WITH NO DATA;
-- refuse: touches-public
SELECT * INTO expert_network.session_copy FROM public.session;
-- refuse: touches-public
CREATE MATERIALIZED VIEW expert_network.user_emails AS SELECT email FROM public."user" WITH NO DATA;
