-- Refuse corpus 03: every spelling of the public schema the parser folds to public:
-- quoted, upper / mixed case, Unicode escapes (with and without UESCAPE), whitespace and
-- comments around the dot, catalog-qualified three-part names. Quoted identifiers that differ
-- from public ("PUBLIC", "Public", "public ") are *other* schemas: outside-schema, not public.

-- refuse: touches-public
SELECT * FROM "public"."user";
-- refuse: touches-public
SELECT * FROM "public".session;
-- refuse: touches-public
SELECT * FROM PUBLIC.SESSION;
-- refuse: touches-public
SELECT * FROM Public.Account;
-- refuse: touches-public
DELETE FROM pUbLiC."user";
-- refuse: touches-public
SELECT * FROM public.user;
-- refuse: touches-public
SELECT * FROM public."User";
-- refuse: touches-public
SELECT * FROM U&"\0070ublic"."user";
-- refuse: touches-public
SELECT * FROM U&"\0070\0075\0062\006C\0069\0063".session;
-- refuse: touches-public
SELECT * FROM U&"\+000070ublic".verification;
-- refuse: touches-public
SELECT * FROM U&"!0070ublic" UESCAPE '!'.account;
-- refuse: touches-public
SELECT * FROM public . session;
-- refuse: touches-public
SELECT * FROM public/* the fence must not be fooled */.session;
-- refuse: touches-public
SELECT * FROM public
  -- a comment between the schema and the dot
  .session;
-- refuse: touches-public
SELECT * FROM ragdb.public."user";
-- refuse: touches-public
SELECT * FROM expert_network.public.session;
-- refuse: touches-public
SELECT u.email FROM PUBLIC."user" AS u;
-- refuse: touches-public
SELECT public.user.email FROM public.user;
-- refuse: touches-public
CREATE TABLE "public".expert_mirror (id integer);
-- refuse: touches-public
CREATE TABLE U&"\0070ublic".expert_mirror2 (id integer);
-- refuse: touches-public
DROP TABLE PUBLIC."user";
-- refuse: touches-public
INSERT INTO "public"."session" ("id", "token", "userId") VALUES ('s', 't', 'u');
-- refuse: touches-public
UPDATE "public"."account" SET "accessToken" = NULL;
-- refuse: touches-public
GRANT SELECT ON "public"."user" TO en_reader;
-- refuse: touches-public
COMMENT ON SCHEMA "public" IS 'x';
-- refuse: touches-public
DROP SCHEMA U&"\0070ublic" CASCADE;
-- refuse: touches-public
ALTER TABLE expert_network.campaigns SET SCHEMA "public";
-- refuse: touches-public
ALTER TABLE expert_network.campaigns SET SCHEMA PUBLIC;
-- refuse: touches-public
ALTER TABLE expert_network.campaigns SET SCHEMA U&"\0070ublic";
-- refuse: touches-public
SELECT * FROM expert_network.campaigns c JOIN "public"."user" u ON u.id = c.user_id;
-- refuse: touches-public
SELECT * FROM "public"."us""er";

-- Quoted spellings that are NOT the public schema (PostgreSQL does not fold quoted names).
-- refuse: outside-schema
SELECT * FROM "PUBLIC"."user";
-- refuse: outside-schema
SELECT * FROM "Public".session;
-- refuse: outside-schema
SELECT * FROM "public ".session;
-- refuse: outside-schema
SELECT * FROM U&"\0050UBLIC".session;
-- refuse: outside-schema
SELECT * FROM "expert_network ".campaigns;
-- refuse: outside-schema
SELECT * FROM "Expert_Network".campaigns;
-- refuse: outside-schema
SELECT * FROM expert_networks.campaigns;
-- refuse: outside-schema
SELECT * FROM expert_network_archive.campaigns;

-- Spellings that ARE expert_network: allowed.
SELECT * FROM "expert_network".campaigns;
SELECT * FROM EXPERT_NETWORK.CAMPAIGNS;
SELECT * FROM Expert_Network.Campaigns;
SELECT * FROM U&"expert\005Fnetwork".campaigns;
SELECT * FROM expert_network . campaigns;
SELECT * FROM expert_network/* comment */.campaigns;
