-- Pass corpus 80: a BEFORE INSERT OR UPDATE trigger on a table whose foreign keys cascade on delete
-- only, as outline/outline (commit d77dcdf853868c5d5fe125c895c9b71f0eff5c68) writes through
-- Sequelize's queryInterface.sequelize.query in server/migrations/20160711071958-search-index.js
-- (`ALTER TABLE documents ADD COLUMN "searchVector" tsvector; CREATE INDEX documents_tsv_idx ON
-- documents USING gin("searchVector"); CREATE FUNCTION documents_search_trigger() RETURNS trigger AS
-- $$ begin new."searchVector" := setweight(to_tsvector('english', ...)) ...; return new; end $$
-- LANGUAGE plpgsql; CREATE TRIGGER documents_tsvectorupdate BEFORE INSERT OR UPDATE ON documents FOR
-- EACH ROW EXECUTE PROCEDURE documents_search_trigger();`, the same for atlases),
-- 20191119023011-cascade-parent-documents.js (`alter table "documents" add constraint
-- "documents_parentDocumentId_fkey" foreign key("parentDocumentId") references "documents" ("id") on
-- delete cascade`), 20191118023010-cascade-delete.js (the same for the tables that reference
-- documents) and 20231227040129-update-tsvector-trigger.js (`CREATE OR REPLACE FUNCTION
-- documents_search_trigger()` with the previous titles). Re-homed into expert_network: every name
-- qualified (Sequelize runs these under public), tables cut to the columns used and made here (its
-- createTable calls), names prefixed pp_ol_, atlases as collections (its later name), the rest as
-- Outline wrote it. The fence refused the self-referencing key: "documents_search_trigger() runs
-- with the owner's rights when a foreign key's ON DELETE or ON UPDATE action ... calls it". An ON
-- DELETE CASCADE alone deletes the referencing rows, and a DELETE fires only BEFORE DELETE triggers
-- and evaluates no CHECK, generated column or index expression (psql on PG 15: raguser's DELETE of a
-- parent row cascaded to a child whose BEFORE INSERT OR UPDATE trigger, CHECK, generated column and
-- index expression each called lower(), and raguser's expert_network.lower(text) never ran; with ON
-- DELETE SET NULL the trigger ran it as the superuser). An action that updates (ON UPDATE CASCADE, ON
-- DELETE SET NULL) still counts the trigger (refuse corpus 80), as a BEFORE DELETE trigger under ON
-- DELETE CASCADE does, and a rule's actions (the cascaded DELETE ran an ON DELETE rule's INSERT,
-- firing its table's BEFORE INSERT trigger as the superuser, PG 15).

CREATE TABLE expert_network.pp_ol_collections (
    id uuid PRIMARY KEY,
    name varchar(255),
    description text,
    "createdAt" timestamp with time zone NOT NULL,
    "updatedAt" timestamp with time zone NOT NULL
);

CREATE TABLE expert_network.pp_ol_documents (
    id uuid PRIMARY KEY,
    title varchar(255),
    text text,
    "collectionId" uuid REFERENCES expert_network.pp_ol_collections (id),
    "parentDocumentId" uuid,
    "createdAt" timestamp with time zone NOT NULL,
    "updatedAt" timestamp with time zone NOT NULL
);

CREATE TABLE expert_network.pp_ol_revisions (
    id uuid PRIMARY KEY,
    "documentId" uuid NOT NULL,
    text text
);

ALTER TABLE expert_network.pp_ol_documents ADD COLUMN "searchVector" tsvector;
CREATE INDEX pp_ol_documents_tsv_idx ON expert_network.pp_ol_documents USING gin("searchVector");

CREATE FUNCTION expert_network.pp_ol_documents_search_trigger() RETURNS trigger AS $$
begin
  new."searchVector" :=
    setweight(to_tsvector('english', coalesce(new.title, '')),'A') ||
    setweight(to_tsvector('english', coalesce(new.text, '')), 'C');
  return new;
end
$$ LANGUAGE plpgsql;

CREATE TRIGGER pp_ol_documents_tsvectorupdate BEFORE INSERT OR UPDATE
ON expert_network.pp_ol_documents FOR EACH ROW EXECUTE PROCEDURE expert_network.pp_ol_documents_search_trigger();

ALTER TABLE expert_network.pp_ol_collections ADD COLUMN "searchVector" tsvector;
CREATE INDEX pp_ol_collections_tsv_idx ON expert_network.pp_ol_collections USING gin("searchVector");

CREATE FUNCTION expert_network.pp_ol_collections_search_trigger() RETURNS trigger AS $$
begin
  new."searchVector" :=
    setweight(to_tsvector('english', coalesce(new.name, '')),'A') ||
    setweight(to_tsvector('english', coalesce(new.description, '')), 'C');
  return new;
end
$$ LANGUAGE plpgsql;

CREATE TRIGGER pp_ol_collections_tsvectorupdate BEFORE INSERT OR UPDATE
ON expert_network.pp_ol_collections FOR EACH ROW EXECUTE PROCEDURE expert_network.pp_ol_collections_search_trigger();

-- 20191118023010-cascade-delete.js, 20191119023011-cascade-parent-documents.js
alter table expert_network."pp_ol_revisions"
            add constraint "pp_ol_revisions_documentId_fkey" foreign key("documentId") references expert_network."pp_ol_documents" ("id")
            on delete cascade;

alter table expert_network."pp_ol_documents"
            add constraint "pp_ol_documents_parentDocumentId_fkey" foreign key("parentDocumentId") references expert_network."pp_ol_documents" ("id")
            on delete cascade;

-- 20231227040129-update-tsvector-trigger.js (the column its 20210716071454 migration adds)
ALTER TABLE expert_network.pp_ol_documents ADD COLUMN "previousTitles" varchar(255)[];

    CREATE OR REPLACE FUNCTION expert_network.pp_ol_documents_search_trigger() RETURNS trigger AS $$
    begin
      new."searchVector" :=
        setweight(to_tsvector('english', coalesce(new.title, '')),'A') ||
        setweight(to_tsvector('english', coalesce(array_to_string(new."previousTitles", ' , '),'')),'C') ||
        setweight(to_tsvector('english', substring(coalesce(new.text, ''), 1, 1000000)), 'D');
      return new;
    end
    $$ LANGUAGE plpgsql;

INSERT INTO expert_network.pp_ol_collections (id, name, "createdAt", "updatedAt")
    VALUES ('6f1b2c1e-0000-4000-8000-000000000001', 'Handbook', now(), now());
INSERT INTO expert_network.pp_ol_documents (id, title, text, "collectionId", "parentDocumentId", "createdAt", "updatedAt")
    VALUES ('6f1b2c1e-0000-4000-8000-000000000002', 'Welcome', 'Hello', '6f1b2c1e-0000-4000-8000-000000000001', NULL, now(), now()),
           ('6f1b2c1e-0000-4000-8000-000000000003', 'Child', 'Nested', '6f1b2c1e-0000-4000-8000-000000000001', '6f1b2c1e-0000-4000-8000-000000000002', now(), now());
DELETE FROM expert_network.pp_ol_documents WHERE id = '6f1b2c1e-0000-4000-8000-000000000002';
