-- Pass corpus 81: a BEFORE UPDATE trigger, written with operators only, on a table whose foreign key
-- cascades on delete, as n8n (the npm package @n8n/db 1.41.2) writes through TypeORM's
-- queryRunner.query in dist/migrations/common/1738709609940-CreateFolderTable.js (the folder table,
-- its parentFolderId key `onDelete: 'CASCADE'`, and workflow_entity's parentFolderId column),
-- postgresdb/1740445074052-UpdateParentFolderIdColumn.js (`ALTER TABLE ${workflowTableName} ADD
-- CONSTRAINT fk_workflow_parent_folder FOREIGN KEY ("parentFolderId") REFERENCES ${folderTableName}
-- ("id") ON DELETE CASCADE`), postgresdb/1761047826451-AddWorkflowVersionColumn.js (`CREATE OR
-- REPLACE FUNCTION ${functionName}() RETURNS TRIGGER AS $$ BEGIN IF NEW."versionCounter" IS NOT
-- DISTINCT FROM OLD."versionCounter" THEN NEW."versionCounter" = OLD."versionCounter" + 1; END IF;
-- RETURN NEW; END; $$ LANGUAGE plpgsql;`, `CREATE TRIGGER ${triggerName} BEFORE UPDATE ON
-- ${tableName} FOR EACH ROW EXECUTE FUNCTION ${functionName}();`) and
-- postgresdb/1784000000003-LimitWorkflowVersionTriggerToContent.js (the function replaced to count
-- only changes of nodes and settings). Re-homed into expert_network: every name qualified (n8n's
-- tablePrefix empty, its schema expert_network), TypeORM's DSL written out as the SQL it runs, tables
-- cut to the columns used, names prefixed pp_n8n_. The fence refused the key: "the trigger function
-- runs with the owner's rights when a foreign key's ON DELETE or ON UPDATE action ... calls it", its
-- IS DISTINCT FROM and + found on the deleting role's path. The key only deletes (TypeORM leaves ON
-- UPDATE at NO ACTION), and a DELETE fires no BEFORE UPDATE trigger (psql on PG 15, corpus 80's
-- proof). The folder table's own parentFolderId key cascades on delete too; its project key as well.

CREATE TABLE expert_network.pp_n8n_project (
    "id" varchar(36) NOT NULL,
    "name" varchar(255) NOT NULL,
    CONSTRAINT "PK_pp_n8n_project" PRIMARY KEY ("id")
);

CREATE TABLE expert_network.pp_n8n_folder (
    "id" varchar(36) NOT NULL,
    "name" varchar(128) NOT NULL,
    "parentFolderId" varchar(36) DEFAULT NULL,
    "projectId" varchar(36) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT "PK_pp_n8n_folder" PRIMARY KEY ("id"),
    CONSTRAINT "FK_pp_n8n_folder_project" FOREIGN KEY ("projectId") REFERENCES expert_network.pp_n8n_project ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_pp_n8n_folder_parent" FOREIGN KEY ("parentFolderId") REFERENCES expert_network.pp_n8n_folder ("id") ON DELETE CASCADE
);

CREATE TABLE expert_network.pp_n8n_workflow_entity (
    "id" SERIAL NOT NULL,
    "name" character varying(128) NOT NULL,
    "active" boolean NOT NULL,
    "nodes" json NOT NULL,
    "connections" json NOT NULL,
    "createdAt" TIMESTAMP NOT NULL,
    "updatedAt" TIMESTAMP NOT NULL,
    "settings" json,
    "parentFolderId" varchar(36) DEFAULT NULL,
    CONSTRAINT "PK_pp_n8n_workflow_entity" PRIMARY KEY ("id")
);

-- 1740445074052-UpdateParentFolderIdColumn
ALTER TABLE expert_network.pp_n8n_workflow_entity ADD CONSTRAINT pp_n8n_fk_workflow_parent_folder FOREIGN KEY ("parentFolderId") REFERENCES expert_network.pp_n8n_folder("id") ON DELETE CASCADE;

-- 1761047826451-AddWorkflowVersionColumn
ALTER TABLE expert_network.pp_n8n_workflow_entity ADD COLUMN "versionCounter" integer NOT NULL DEFAULT 1;

			CREATE OR REPLACE FUNCTION expert_network.pp_n8n_increment_workflow_version()
			RETURNS TRIGGER AS $$
			BEGIN
				IF NEW."versionCounter" IS NOT DISTINCT FROM OLD."versionCounter" THEN
					NEW."versionCounter" = OLD."versionCounter" + 1;
				END IF;
				RETURN NEW;
			END;
			$$ LANGUAGE plpgsql;

			CREATE TRIGGER pp_n8n_workflow_version_increment
			BEFORE UPDATE ON expert_network.pp_n8n_workflow_entity
			FOR EACH ROW
			EXECUTE FUNCTION expert_network.pp_n8n_increment_workflow_version();

-- 1784000000003-LimitWorkflowVersionTriggerToContent
			CREATE OR REPLACE FUNCTION expert_network.pp_n8n_increment_workflow_version()
			RETURNS TRIGGER AS $$
			BEGIN
				IF NEW."versionCounter" IS NOT DISTINCT FROM OLD."versionCounter"
					AND (NEW."nodes"::text IS DISTINCT FROM OLD."nodes"::text
						OR NEW."settings"::text IS DISTINCT FROM OLD."settings"::text) THEN
					NEW."versionCounter" = OLD."versionCounter" + 1;
				END IF;
				RETURN NEW;
			END;
			$$ LANGUAGE plpgsql;

INSERT INTO expert_network.pp_n8n_project ("id", "name") VALUES ('p1', 'Personal');
INSERT INTO expert_network.pp_n8n_folder ("id", "name", "projectId") VALUES ('f1', 'Inbox', 'p1');
INSERT INTO expert_network.pp_n8n_workflow_entity ("name", "active", "nodes", "connections", "createdAt", "updatedAt", "parentFolderId")
    VALUES ('My workflow', false, '[]', '{}', now(), now(), 'f1');
UPDATE expert_network.pp_n8n_workflow_entity SET "nodes" = '[{"type": "n8n-nodes-base.start"}]' WHERE "parentFolderId" = 'f1';
DELETE FROM expert_network.pp_n8n_project WHERE "id" = 'p1';
