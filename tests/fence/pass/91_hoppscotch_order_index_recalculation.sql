-- Pass corpus 91: Hoppscotch's orderIndex recalculation
-- (hoppscotch/hoppscotch packages/hoppscotch-backend/prisma/migrations/20250818154928_fix_order_index/migration.sql, commit
-- 6fa66d8dbf0893ac9b39ded6722c97b3ce524f93): UPDATE ... FROM a CTE numbering rows with ROW_NUMBER()
-- OVER (PARTITION BY ...), the team tables' two of its four statements. Re-homed into
-- expert_network: the tables qualified (corpus 89's). The fence passed it.
-- Recalculate orderIndex for TeamCollection per (teamID, parentID)
WITH ordered AS (
  SELECT
    id,
    ROW_NUMBER() OVER (
      PARTITION BY "teamID", "parentID"
      ORDER BY "orderIndex" ASC, "createdOn" ASC, id ASC
    ) AS new_index
  FROM expert_network."PpHpTeamCollection"
)
UPDATE expert_network."PpHpTeamCollection" tc
SET "orderIndex" = o.new_index
FROM ordered o
WHERE tc.id = o.id;

-- Recalculate orderIndex for TeamRequest per (teamID, collectionID)
WITH ordered AS (
  SELECT
    id,
    ROW_NUMBER() OVER (
      PARTITION BY "teamID", "collectionID"
      ORDER BY "orderIndex" ASC, "createdOn" ASC, id ASC
    ) AS new_index
  FROM expert_network."PpHpTeamRequest"
)
UPDATE expert_network."PpHpTeamRequest" tr
SET "orderIndex" = o.new_index
FROM ordered o
WHERE tr.id = o.id;
