-- en-migrate: no-transaction
-- Pass corpus 121: Saleor's non-atomic Django migrations (saleor/saleor, commit
-- 723cd4eba87dfc72822ade45dc08a3caa548428d; `atomic = False`, so Django runs each statement alone,
-- as this file's directive does): attribute/0044_reintroduce_attribute_value_constraints.py's
-- `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ... ON attribute_assignedpageattributevalue` and
-- the DO block that makes it the table's UNIQUE constraint (`ADD CONSTRAINT ... UNIQUE USING INDEX`)
-- unless pg_constraint holds one of its name, and account/0086_auto_20240805_0851.py's
-- AddIndexConcurrently of a gin_trgm_ops GinIndex and its RunSQL of a concurrent trigram index on
-- `(first_name || ' ' || last_name)`, verbatim but for the tables' names. Re-homed into
-- expert_network as corpus 120 is: `SET search_path TO expert_network` for Django's connection
-- path, every table named without a schema, as Saleor writes them, prefixed pp_sa_. The fence passed
-- it; `up` looked the first index up as `.name` (the table's schema left empty) to see whether an
-- earlier run left it INVALID, which the server refused as invalid name syntax before anything ran:
-- the index is made beside its table, which the path finds in expert_network.
SET search_path TO expert_network;
--
-- Raw SQL operation
--

                    CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS
                    pp_sa_attribute_assignedpageat_value_id_page_id_851cd501_uniq
                    ON pp_sa_attribute_assignedpageattributevalue
                    ("value_id", "page_id");
                    
--
-- Raw SQL operation
--

                        DO
                        $do$
                        BEGIN
                        IF NOT EXISTS (
                            SELECT 1 FROM pg_catalog.pg_constraint
                            WHERE conname LIKE
                            'pp_sa_attribute_assignedpageat_value_id_page_id_851cd501_uniq'
                        ) THEN
                            ALTER TABLE pp_sa_attribute_assignedpageattributevalue
                            ADD CONSTRAINT
                            pp_sa_attribute_assignedpageat_value_id_page_id_851cd501_uniq
                            UNIQUE USING INDEX
                            pp_sa_attribute_assignedpageat_value_id_page_id_851cd501_uniq;
                        END IF;
                        END
                        $do$
                    ;
--
-- Concurrently create index first_name_gin on field(s) first_name of model user
--
CREATE INDEX CONCURRENTLY "pp_sa_first_name_gin" ON "pp_sa_account_user" USING gin ("first_name" gin_trgm_ops);
--
-- Raw SQL operation
--

            CREATE INDEX CONCURRENTLY pp_sa_idx_user_full_name ON pp_sa_account_user USING gin ((first_name || ' ' || last_name) gin_trgm_ops);
            
