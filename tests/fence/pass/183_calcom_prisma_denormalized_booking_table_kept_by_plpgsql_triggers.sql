-- Pass corpus 183: Cal.com's denormalized booking table kept by PL/pgSQL triggers (calcom/cal.com
-- packages/prisma/migrations/20240320000001_add_booking_time_status_denormalized/migration.sql,
-- commit 30597c3bfa2c30ec00b5175bde63b24dec37b9a1), a Prisma migration written by hand: the table
-- "BookingTimeStatusDenormalized" with unnamed `CREATE INDEX ON ...` indexes, plpgsql helpers
-- calculate_time_status(boolean, text, timestamp) and calculate_is_team_booking(integer), a
-- refresh function that deletes then re-inserts one booking's row by `INSERT ... SELECT` over LEFT
-- JOINs, and AFTER INSERT OR UPDATE / AFTER DELETE / AFTER UPDATE OF <columns> row triggers on
-- Booking, EventType and users that PERFORM it or update the copy. Before it, Prisma's own output
-- for the tables it reads (cut to the columns used): an enum, SERIAL keys, `CONSTRAINT ..._pkey`,
-- a unique index and foreign keys ON DELETE CASCADE / SET NULL ON UPDATE CASCADE, as Cal.com's
-- schema has them.
-- Re-homed as an operator adopting en-migrate would: the top-level statements keep Cal.com's bare
-- names under the file's own `SET search_path TO expert_network` (Prisma's ?schema=), the objects
-- prefixed cal_; each function body's names are qualified and the function given `SET search_path =
-- pg_catalog, pg_temp` (a body without its own path resolves under the caller's, where
-- public."Booking" may be another application's; the fence refuses that spelling, rightly). The
-- triggers are AFTER triggers, which the cascades of the keys do not run as the owner: PG 15, an
-- AFTER UPDATE OR DELETE trigger of a table whose key cascades, fired by raguser's UPDATE and DELETE
-- of the referenced row, failed "permission denied for table" on a table only the owner could write
-- (it ran as raguser), so its calls with arguments are no owner's calls.
-- PostgreSQL 15 applied it with psql; read back: inserting a user, an event type (teamId 7) and a
-- past booking wrote one denormalized row (timeStatus 'completed', isTeamBooking true); updating
-- the user's email and the event type's length updated the copy; deleting the user (cascading to
-- the booking) removed it; pg_trigger lists the four triggers and pg_proc each function's proconfig
-- {"search_path=pg_catalog, pg_temp"}.
SET search_path TO expert_network;

-- CreateEnum
CREATE TYPE "cal_BookingStatus" AS ENUM ('cancelled', 'accepted', 'rejected', 'pending');

-- CreateTable
CREATE TABLE "cal_users" (
    "id" SERIAL NOT NULL,
    "username" TEXT,
    "name" TEXT,
    "email" TEXT NOT NULL,
    CONSTRAINT "cal_users_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "cal_EventType" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "length" INTEGER NOT NULL,
    "userId" INTEGER,
    "teamId" INTEGER,
    "parentId" INTEGER,
    CONSTRAINT "cal_EventType_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "cal_Booking" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "userId" INTEGER,
    "eventTypeId" INTEGER,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "startTime" TIMESTAMP(3) NOT NULL,
    "endTime" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "location" TEXT,
    "paid" BOOLEAN NOT NULL DEFAULT false,
    "status" "cal_BookingStatus" NOT NULL DEFAULT 'accepted',
    "rescheduled" BOOLEAN,
    "ratingFeedback" TEXT,
    "rating" INTEGER,
    "noShowHost" BOOLEAN DEFAULT false,
    CONSTRAINT "cal_Booking_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "cal_Booking_uid_key" ON "cal_Booking"("uid");
ALTER TABLE "cal_EventType" ADD CONSTRAINT "cal_EventType_userId_fkey" FOREIGN KEY ("userId") REFERENCES "cal_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cal_EventType" ADD CONSTRAINT "cal_EventType_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "cal_EventType"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cal_Booking" ADD CONSTRAINT "cal_Booking_userId_fkey" FOREIGN KEY ("userId") REFERENCES "cal_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cal_Booking" ADD CONSTRAINT "cal_Booking_eventTypeId_fkey" FOREIGN KEY ("eventTypeId") REFERENCES "cal_EventType"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Create the denormalized table
CREATE TABLE "cal_BookingTimeStatusDenormalized" (
    id INTEGER,
    uid TEXT,
    "eventTypeId" INTEGER,
    title TEXT,
    description TEXT,
    "startTime" TIMESTAMP(3),
    "endTime" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3),
    location TEXT,
    paid BOOLEAN,
    status TEXT,
    rescheduled BOOLEAN,
    "userId" INTEGER,
    "teamId" INTEGER,
    "eventLength" INTEGER,
    "timeStatus" TEXT,
    "eventParentId" INTEGER,
    "userEmail" TEXT,
    "username" TEXT,
    "ratingFeedback" TEXT,
    "rating" INTEGER,
    "noShowHost" BOOLEAN,
    "isTeamBooking" BOOLEAN
);

-- Create indexes to match likely query patterns
CREATE INDEX ON "cal_BookingTimeStatusDenormalized" (id);
CREATE INDEX ON "cal_BookingTimeStatusDenormalized" ("userId");
CREATE INDEX ON "cal_BookingTimeStatusDenormalized" ("createdAt");
CREATE INDEX "cal_idx_event_type_hierarchy" ON "cal_BookingTimeStatusDenormalized" ("eventTypeId", "eventParentId");

-- Function to calculate timeStatus
CREATE OR REPLACE FUNCTION cal_calculate_time_status(
    rescheduled BOOLEAN,
    status TEXT,
    end_time TIMESTAMP
) RETURNS TEXT AS $$
BEGIN
    RETURN CASE
        WHEN rescheduled IS TRUE THEN 'rescheduled'
        WHEN status = 'cancelled' AND rescheduled IS NULL THEN 'cancelled'
        WHEN end_time < now() THEN 'completed'
        WHEN end_time > now() THEN 'uncompleted'
        ELSE NULL
    END;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Function to calculate isTeamBooking
CREATE OR REPLACE FUNCTION cal_calculate_is_team_booking(team_id INTEGER)
RETURNS BOOLEAN AS $$
BEGIN
    RETURN CASE WHEN team_id IS NULL THEN false ELSE true END;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Function to refresh a single booking's data
CREATE OR REPLACE FUNCTION cal_refresh_booking_time_status_denormalized(booking_id INTEGER)
RETURNS VOID AS $$
BEGIN
    -- Delete existing entry if any
    DELETE FROM expert_network."cal_BookingTimeStatusDenormalized" WHERE id = booking_id;

    -- Insert non-team booking
    INSERT INTO expert_network."cal_BookingTimeStatusDenormalized"
    SELECT
        expert_network."cal_Booking".id,
        expert_network."cal_Booking".uid,
        expert_network."cal_Booking"."eventTypeId",
        expert_network."cal_Booking".title,
        expert_network."cal_Booking".description,
        expert_network."cal_Booking"."startTime",
        expert_network."cal_Booking"."endTime",
        expert_network."cal_Booking"."createdAt",
        expert_network."cal_Booking".location,
        expert_network."cal_Booking".paid,
        expert_network."cal_Booking".status,
        expert_network."cal_Booking".rescheduled,
        expert_network."cal_Booking"."userId",
        et."teamId",
        et.length AS "eventLength",
        expert_network.cal_calculate_time_status(expert_network."cal_Booking".rescheduled, expert_network."cal_Booking".status::text, expert_network."cal_Booking"."endTime") AS "timeStatus",
        et."parentId" AS "eventParentId",
        "u"."email" AS "userEmail",
        "u"."username" AS "username",
        expert_network."cal_Booking"."ratingFeedback",
        expert_network."cal_Booking"."rating",
        expert_network."cal_Booking"."noShowHost",
        expert_network.cal_calculate_is_team_booking(et."teamId") as "isTeamBooking"
    FROM expert_network."cal_Booking"
    LEFT JOIN expert_network."cal_EventType" et ON expert_network."cal_Booking"."eventTypeId" = et.id
    LEFT JOIN expert_network.cal_users u ON u.id = expert_network."cal_Booking"."userId"
    WHERE expert_network."cal_Booking".id = booking_id;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Trigger function for booking changes (insert/update)
CREATE OR REPLACE FUNCTION cal_trigger_refresh_booking_time_status_denormalized()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM expert_network.cal_refresh_booking_time_status_denormalized(NEW.id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Trigger function for booking deletions
CREATE OR REPLACE FUNCTION cal_trigger_delete_booking_time_status_denormalized()
RETURNS TRIGGER AS $$
BEGIN
    DELETE FROM expert_network."cal_BookingTimeStatusDenormalized" WHERE id = OLD.id;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Create triggers for Booking table
CREATE TRIGGER booking_insert_update_trigger
    AFTER INSERT OR UPDATE ON "cal_Booking"
    FOR EACH ROW
    EXECUTE FUNCTION cal_trigger_refresh_booking_time_status_denormalized();

CREATE TRIGGER booking_delete_trigger
    AFTER DELETE ON "cal_Booking"
    FOR EACH ROW
    EXECUTE FUNCTION cal_trigger_delete_booking_time_status_denormalized();

-- Trigger function for EventType changes
CREATE OR REPLACE FUNCTION cal_trigger_refresh_booking_time_status_denormalized_event_type()
RETURNS TRIGGER AS $$
BEGIN
    -- Refresh all bookings associated with this event type
    UPDATE expert_network."cal_BookingTimeStatusDenormalized" btsd
    SET
        "teamId" = NEW."teamId",
        "eventLength" = NEW.length,
        "eventParentId" = NEW."parentId",
        "isTeamBooking" = expert_network.cal_calculate_is_team_booking(NEW."teamId")
    WHERE btsd."eventTypeId" = NEW.id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Trigger function for user changes
CREATE OR REPLACE FUNCTION cal_trigger_refresh_booking_time_status_denormalized_user()
RETURNS TRIGGER AS $$
BEGIN
    -- Refresh all bookings associated with this user
    UPDATE expert_network."cal_BookingTimeStatusDenormalized" btsd
    SET
        "userEmail" = NEW.email,
        "username" = NEW.username
    WHERE btsd."userId" = NEW.id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;

-- Create triggers for EventType table
CREATE TRIGGER event_type_update_trigger
    AFTER UPDATE OF "teamId", length, "parentId" ON "cal_EventType"
    FOR EACH ROW
    EXECUTE FUNCTION cal_trigger_refresh_booking_time_status_denormalized_event_type();

-- Create triggers for users table
CREATE TRIGGER user_update_trigger
    AFTER UPDATE OF email, username ON cal_users
    FOR EACH ROW
    EXECUTE FUNCTION cal_trigger_refresh_booking_time_status_denormalized_user();
