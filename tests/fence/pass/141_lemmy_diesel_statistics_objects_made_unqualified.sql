-- Pass corpus 141: Lemmy's diesel migration 2025-08-01-000016_smoosh-tables-together/up.sql
-- (LemmyNet/lemmy, commit 439734dd638a2c06a2f907beab7dcf4646e88f86): the `*_actions` tables'
-- partial `NOT NULL` indexes and the extended statistics on their expressions (`CREATE statistics
-- comment_actions_liked_stat ON (liked IS NULL), (vote_is_upvote IS NULL) FROM comment_actions`),
-- made unqualified, lower-case `statistics` as Lemmy writes it. Pass corpus 142 is the same
-- migration's down.sql, which drops them by those unqualified names. Re-homed into expert_network:
-- `SET search_path TO expert_network` for the path diesel's connection has, the tables (cut to the
-- columns the indexes and statistics name) and the statistics objects prefixed pp_lm_. The fence
-- passed it.
SET search_path TO expert_network;

CREATE TABLE pp_lm_comment_actions (
    person_id int NOT NULL,
    comment_id int NOT NULL,
    liked timestamptz,
    vote_is_upvote boolean,
    PRIMARY KEY (person_id, comment_id)
);

CREATE TABLE pp_lm_community_actions (
    person_id int NOT NULL,
    community_id int NOT NULL,
    followed timestamptz,
    follow_state text,
    PRIMARY KEY (person_id, community_id)
);

CREATE TABLE pp_lm_post_actions (
    person_id int NOT NULL,
    post_id int NOT NULL,
    read_comments timestamptz,
    read_comments_amount int,
    liked timestamptz,
    vote_is_upvote boolean,
    PRIMARY KEY (person_id, post_id)
);

CREATE INDEX idx_pp_lm_comment_actions_liked_not_null ON pp_lm_comment_actions (person_id, comment_id)
WHERE
    liked IS NOT NULL;

CREATE INDEX idx_pp_lm_community_actions_followed_not_null ON pp_lm_community_actions (person_id, community_id)
WHERE
    followed IS NOT NULL;

-- Create new statistics for more accurate estimations of how much of an index will be read (e.g. for
-- `(liked, like_score)`, the query planner might othewise assume that `(TRUE, FALSE)` and `(TRUE, TRUE)`
-- are equally likely when only `(TRUE, TRUE)` is possible, which would make it severely underestimate
-- the efficiency of using the index)
CREATE statistics pp_lm_comment_actions_liked_stat ON (liked IS NULL), (vote_is_upvote IS NULL)
FROM pp_lm_comment_actions;

CREATE statistics pp_lm_community_actions_followed_stat ON (followed IS NULL), (follow_state IS NULL)
FROM pp_lm_community_actions;

CREATE statistics pp_lm_post_actions_read_comments_stat ON (read_comments IS NULL), (read_comments_amount IS NULL)
FROM pp_lm_post_actions;

CREATE statistics pp_lm_post_actions_liked_stat ON (liked IS NULL), (vote_is_upvote IS NULL), (post_id IS NULL)
FROM pp_lm_post_actions;
