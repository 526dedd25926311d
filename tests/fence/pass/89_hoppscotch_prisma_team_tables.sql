-- Pass corpus 89: Hoppscotch's team collection and request tables as Prisma generates them (the
-- TeamCollection and TeamRequest of hoppscotch/hoppscotch packages/hoppscotch-backend/prisma/migrations, cut to the columns the next two
-- migrations use: the self-referencing parentID key ON DELETE SET NULL ON UPDATE CASCADE).
-- Re-homed into expert_network: the tables qualified (Prisma connects with ?schema=, its own SQL names
-- none) and prefixed PpHp. The fence passed it.
-- CreateTable
CREATE TABLE expert_network."PpHpTeamCollection" (
    "id" TEXT NOT NULL,
    "parentID" TEXT,
    "teamID" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "orderIndex" INTEGER NOT NULL,
    "createdOn" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PpHpTeamCollection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE expert_network."PpHpTeamRequest" (
    "id" TEXT NOT NULL,
    "collectionID" TEXT NOT NULL,
    "teamID" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "orderIndex" INTEGER NOT NULL,
    "createdOn" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PpHpTeamRequest_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE expert_network."PpHpTeamCollection" ADD CONSTRAINT "PpHpTeamCollection_parentID_fkey" FOREIGN KEY ("parentID") REFERENCES expert_network."PpHpTeamCollection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE expert_network."PpHpTeamRequest" ADD CONSTRAINT "PpHpTeamRequest_collectionID_fkey" FOREIGN KEY ("collectionID") REFERENCES expert_network."PpHpTeamCollection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
