-- Pass corpus 166: Harbor 2.9's migration (goharbor/harbor, commit
-- c50c7ddd6ea4e335a480b49c618281882ab7eec9, make/migrations/postgresql/0120_2.9.0_schema.up.sql),
-- verbatim but for the prefix: a GIN index on the expression `(extra_attrs::jsonb->'report_uuids')`
-- of a json column, an UPDATE whose SET casts `->>` to integer under `jsonb_path_exists(...,
-- '$.artifact.id')` and an IN subquery, a DO block guarded by IF NOT EXISTS, ADD COLUMN IF NOT
-- EXISTS, the DO block that loops `FOR report IN SELECT uuid FROM scan_report` and within it `FOR v
-- IN SELECT ... FROM report_vulnerability_record rvr, vulnerability_record vr` over RECORD
-- variables, counting into DECLAREd bigints and writing them back, and `json_build_object(...)::text`.
-- The tables it reads are made first as Harbor's earlier files made them (0010_1.9.0's schedule,
-- 0015_1.10.0's scanner_registration and scan_report, 0040_2.1.0's execution and task, 0050_2.2.0's
-- vulnerability_record and report_vulnerability_record, cut to the columns used), with a few rows.
-- Re-homed as an operator adopting en-migrate would: `SET search_path TO expert_network;` first
-- (golang-migrate runs Harbor's files on the connection's path), tables and indexes prefixed hb3_.
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, one transaction, on the seeded
-- database): applied; hb3_scan_report r-1 read back critical_cnt 1, low_cnt 1, the CVE's
-- cvss_score_v3 9.8, hb3_execution's vendor_id 42, the schedule's param {"policy_id" : 7}, and
-- pg_get_indexdef gave idx_hb3_task_extra_attrs_report_uuids `ON expert_network.hb3_task USING gin
-- ((((extra_attrs)::jsonb -> 'report_uuids'::text)))`.
SET search_path TO expert_network;

CREATE TABLE IF NOT EXISTS hb3_execution (
    id SERIAL NOT NULL,
    vendor_type varchar(64) NOT NULL,
    vendor_id int,
    status varchar(16),
    extra_attrs JSON,
    PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS hb3_task (
    id SERIAL PRIMARY KEY NOT NULL,
    execution_id int NOT NULL,
    status varchar(16) NOT NULL,
    extra_attrs JSON,
    FOREIGN KEY (execution_id) REFERENCES hb3_execution(id)
);
CREATE TABLE hb3_scanner_registration (
    id SERIAL PRIMARY KEY NOT NULL,
    uuid VARCHAR(64) UNIQUE NOT NULL,
    name VARCHAR(128) UNIQUE NOT NULL
);
CREATE TABLE IF NOT EXISTS hb3_vulnerability_record (
  id serial NOT NULL PRIMARY KEY,
  cve_id text NOT NULL,
  registration_uuid text NOT NULL,
  package text NOT NULL,
  package_version text NOT NULL,
  package_type text NOT NULL,
  severity text NOT NULL,
  fixed_version text,
  urls text,
  cvss_score_v3 double precision,
  cvss_score_v2 double precision,
  cvss_vector_v3 text,
  cvss_vector_v2 text,
  description text,
  cwe_ids text,
  vendor_attributes json,
  UNIQUE (cve_id, registration_uuid, package, package_version),
  CONSTRAINT hb3_fk_registration_uuid FOREIGN KEY(registration_uuid) REFERENCES hb3_scanner_registration(uuid) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS hb3_scan_report
(
    id SERIAL PRIMARY KEY NOT NULL,
    uuid VARCHAR(64) UNIQUE NOT NULL,
    digest VARCHAR(256) NOT NULL,
    registration_uuid VARCHAR(64) NOT NULL,
    mime_type VARCHAR(256) NOT NULL,
    report JSON,
    UNIQUE(digest, registration_uuid, mime_type)
);
CREATE TABLE IF NOT EXISTS hb3_report_vulnerability_record (
  id serial NOT NULL PRIMARY KEY,
  report_uuid text NOT NULL,
  vuln_record_id bigint NOT NULL,
  UNIQUE (report_uuid, vuln_record_id),
  CONSTRAINT hb3_fk_vuln_record_id FOREIGN KEY(vuln_record_id) REFERENCES hb3_vulnerability_record(id) ON DELETE CASCADE,
  CONSTRAINT hb3_fk_report_uuid FOREIGN KEY(report_uuid) REFERENCES hb3_scan_report(uuid) ON DELETE CASCADE
);
create table hb3_schedule
(
  id            SERIAL NOT NULL,
  vendor_type   varchar(16),
  vendor_id     int,
  callback_func_param text,
  PRIMARY KEY (id)
);

INSERT INTO hb3_scanner_registration (uuid, name) VALUES ('trivy-1', 'Trivy');
INSERT INTO hb3_scan_report (uuid, digest, registration_uuid, mime_type) VALUES ('r-1', 'sha256:ab', 'trivy-1', 'application/vnd.security.vulnerability.report; version=1.1');
INSERT INTO hb3_vulnerability_record (cve_id, registration_uuid, package, package_version, package_type, severity, fixed_version, vendor_attributes)
VALUES ('CVE-2023-1', 'trivy-1', 'openssl', '3.0.1', 'os', 'Critical', '3.0.2', '{"CVSS": {"nvd": {"V3Score": 9.8}}}'),
       ('CVE-2023-2', 'trivy-1', 'zlib', '1.2.11', 'os', 'Low', NULL, '{}');
INSERT INTO hb3_report_vulnerability_record (report_uuid, vuln_record_id) SELECT 'r-1', id FROM hb3_vulnerability_record;
INSERT INTO hb3_execution (vendor_type, vendor_id, extra_attrs) SELECT 'IMAGE_SCAN', id, '{"artifact": {"id": 42}}' FROM hb3_scanner_registration;
INSERT INTO hb3_schedule (vendor_type, vendor_id, callback_func_param) VALUES ('REPLICATION', 7, '7');

-- 0120_2.9.0_schema.up.sql
CREATE INDEX IF NOT EXISTS idx_hb3_task_extra_attrs_report_uuids ON hb3_task USING gin ((extra_attrs::jsonb->'report_uuids'));

/* Set the vendor_id of IMAGE_SCAN to the artifact id instead of scanner id, which facilitates hb3_execution sweep */
UPDATE hb3_execution SET vendor_id = (extra_attrs -> 'artifact' ->> 'id')::integer
WHERE jsonb_path_exists(extra_attrs::jsonb, '$.artifact.id')
AND vendor_id IN (SELECT id FROM hb3_scanner_registration)
AND vendor_type = 'IMAGE_SCAN';

/* extract score from vendor attribute */
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM hb3_vulnerability_record WHERE cvss_score_v3 IS NOT NULL LIMIT 1) THEN
        UPDATE hb3_vulnerability_record
        SET cvss_score_v3 = (vendor_attributes->'CVSS'->'nvd'->>'V3Score')::double precision
        WHERE jsonb_path_exists(vendor_attributes::jsonb, '$.CVSS.nvd.V3Score');
    END IF;
END $$;

/* to improve the query of dangerousCVESQL it requires to query with vuln_record_id */
CREATE INDEX IF NOT EXISTS idx_hb3_report_vulnerability_record_vuln_record_id ON hb3_report_vulnerability_record (vuln_record_id);

CREATE INDEX IF NOT EXISTS idx_hb3_vulnerability_record_cvss_score_v3 ON hb3_vulnerability_record (cvss_score_v3);
CREATE INDEX IF NOT EXISTS idx_hb3_vulnerability_registration_uuid ON hb3_vulnerability_record (registration_uuid);
CREATE INDEX IF NOT EXISTS idx_hb3_vulnerability_record_cve_id ON hb3_vulnerability_record (cve_id);
CREATE INDEX IF NOT EXISTS idx_hb3_vulnerability_record_severity ON hb3_vulnerability_record (severity);
CREATE INDEX IF NOT EXISTS idx_hb3_vulnerability_record_package ON hb3_vulnerability_record (package);

/* add summary information in hb3_scan_report */
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS critical_cnt BIGINT;
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS high_cnt BIGINT;
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS medium_cnt BIGINT;
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS low_cnt BIGINT;
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS none_cnt BIGINT;
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS unknown_cnt BIGINT;
ALTER TABLE hb3_scan_report ADD COLUMN IF NOT EXISTS fixable_cnt BIGINT;

/* extract summary information for previous hb3_scan_report */
DO
$$
    DECLARE
        report RECORD;
        v RECORD;
        critical_count BIGINT;
        high_count BIGINT;
        none_count BIGINT;
        medium_count BIGINT;
        low_count BIGINT;
        unknown_count BIGINT;
        fixable_count BIGINT;
    BEGIN
        IF EXISTS (SELECT 1
                   FROM hb3_scan_report
                   WHERE critical_cnt IS NOT NULL
                     AND high_cnt IS NOT NULL
                     AND medium_cnt IS NOT NULL
                     AND low_cnt IS NOT NULL
                     AND unknown_cnt IS NOT NULL
                     AND fixable_cnt IS NOT NULL
                   LIMIT 1) THEN
            RETURN;
        END IF;

        FOR report IN SELECT uuid FROM hb3_scan_report
            LOOP
                critical_count := 0;
                high_count := 0;
                medium_count := 0;
                none_count := 0;
                low_count := 0;
                unknown_count := 0;
                FOR v IN SELECT vr.severity, vr.fixed_version
                         FROM hb3_report_vulnerability_record rvr,
                              hb3_vulnerability_record vr
                         WHERE rvr.report_uuid = report.uuid
                           AND rvr.vuln_record_id = vr.id
                    LOOP
                        IF v.severity = 'Critical' THEN
                            critical_count = critical_count + 1;
                        ELSIF v.severity = 'High' THEN
                            high_count = high_count + 1;
                        ELSIF v.severity = 'Medium' THEN
                            medium_count = medium_count + 1;
                        ELSIF v.severity = 'Low' THEN
                            low_count = low_count + 1;
                        ELSIF v.severity = 'None' THEN
                            none_count = none_count + 1;
                        ELSIF v.severity = 'Unknown' THEN
                            unknown_count = unknown_count + 1;
                        ELSIF v.fixed_version IS NOT NULL THEN
                            fixable_count = fixable_count + 1;
                        END IF;
                    END LOOP;
                UPDATE hb3_scan_report
                SET critical_cnt = critical_count,
                    high_cnt     = high_count,
                    medium_cnt   = medium_count,
                    low_cnt      = low_count,
                    unknown_cnt  = unknown_count
                WHERE uuid = report.uuid;
            END LOOP;
    END
$$;

/* Refactor the structure of replication schedule callback_func_param, convert the raw id to json object for extending */
/*       callback_func_param
    Old:         100
    New:  {"policy_id": 100}
*/
UPDATE hb3_schedule SET callback_func_param = json_build_object('policy_id', callback_func_param::int)::text
WHERE vendor_type='REPLICATION'
AND callback_func_param NOT LIKE '%policy_id%';