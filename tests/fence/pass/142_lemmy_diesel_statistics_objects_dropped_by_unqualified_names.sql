-- Pass corpus 142: the down.sql of Lemmy's diesel migration
-- 2025-08-01-000016_smoosh-tables-together (LemmyNet/lemmy, commit
-- 439734dd638a2c06a2f907beab7dcf4646e88f86), which drops what pass corpus 141 made by the names it
-- made them with: `DROP INDEX` of two partial indexes and `DROP statistics
-- comment_actions_liked_stat, community_actions_followed_stat, ...`, unqualified, then the tables;
-- a project that migrates forward only writes its revert so, as the next migration. The server
-- looks a statistics object's name up on the path but never in pg_temp, and pg_catalog holds none
-- (PG 15), so these reach expert_network's alone. Re-homed into expert_network: `SET search_path TO
-- expert_network` for diesel's connection, the names prefixed pp_lm_ as in 141, and an `ALTER
-- statistics ... SET STATISTICS` and a `COMMENT ON statistics` before the drop. The fence passed
-- it.
SET search_path TO expert_network;

ALTER statistics pp_lm_post_actions_liked_stat SET STATISTICS 500;

COMMENT ON statistics pp_lm_post_actions_liked_stat IS 'liked, vote_is_upvote and post_id null together';

-- Drop `NOT NULL` indexes of columns that still exist
DROP INDEX idx_pp_lm_comment_actions_liked_not_null, idx_pp_lm_community_actions_followed_not_null;

-- Drop statistics of columns that still exist
DROP statistics pp_lm_comment_actions_liked_stat, pp_lm_community_actions_followed_stat;

DROP statistics IF EXISTS pp_lm_person_actions_followed_stat;

DROP TABLE pp_lm_comment_actions, pp_lm_community_actions;

DROP statistics pp_lm_post_actions_read_comments_stat, pp_lm_post_actions_liked_stat;

DROP TABLE pp_lm_post_actions;
