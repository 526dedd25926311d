-- Pass corpus 85: Mastodon's scenic views (mastodon/mastodon db/views/account_summaries_v03.sql,
-- global_follow_recommendations_v01.sql, user_ips_v01.sql), as scenic's create_view writes them:
-- `CREATE MATERIALIZED VIEW ... AS <file> WITH NO DATA` with its unique index, a view over a UNION
-- ALL, and a REFRESH. Re-homed into expert_network: the tables the views read made first, cut to the
-- columns read, every name qualified, names prefixed pp_mdn_. The fence passed them. Left out:
-- Mastodon's timestamp_id(table_name) (lib/mastodon/snowflake.rb), whose `nextval(table_name ||
-- '_id_seq')` names a sequence computed at run time, looked up on the caller's path (refused,
-- dynamic-name: a true reach).
CREATE TABLE expert_network.pp_mdn_accounts (
    id bigint NOT NULL PRIMARY KEY,
    username character varying DEFAULT ''::character varying NOT NULL,
    domain character varying,
    locked boolean DEFAULT false NOT NULL,
    discoverable boolean,
    suspended_at timestamp without time zone,
    silenced_at timestamp without time zone,
    moved_to_account_id bigint,
    requested_deletion_at timestamp without time zone
);
CREATE TABLE expert_network.pp_mdn_statuses (
    id bigint NOT NULL PRIMARY KEY,
    account_id bigint NOT NULL,
    language character varying,
    sensitive boolean DEFAULT false NOT NULL,
    reblog_of_id bigint,
    deleted_at timestamp without time zone
);
CREATE TABLE expert_network.pp_mdn_users (
    id bigint NOT NULL PRIMARY KEY,
    account_id bigint NOT NULL,
    sign_up_ip inet,
    created_at timestamp without time zone NOT NULL,
    current_sign_in_at timestamp without time zone
);
CREATE TABLE expert_network.pp_mdn_session_activations (id bigint PRIMARY KEY, user_id bigint NOT NULL, ip inet, updated_at timestamp without time zone NOT NULL);
CREATE TABLE expert_network.pp_mdn_login_activities (id bigint PRIMARY KEY, user_id bigint NOT NULL, ip inet, success boolean, created_at timestamp without time zone);
CREATE TABLE expert_network.pp_mdn_follows (id bigint PRIMARY KEY, account_id bigint NOT NULL, target_account_id bigint NOT NULL);
CREATE TABLE expert_network.pp_mdn_follow_recommendation_suppressions (id bigint PRIMARY KEY, account_id bigint NOT NULL);
CREATE TABLE expert_network.pp_mdn_status_stats (id bigint PRIMARY KEY, status_id bigint NOT NULL, reblogs_count bigint DEFAULT 0 NOT NULL, favourites_count bigint DEFAULT 0 NOT NULL);

CREATE MATERIALIZED VIEW expert_network.pp_mdn_account_summaries AS
 SELECT
  pp_mdn_accounts.id AS account_id,
  mode() WITHIN GROUP (ORDER BY language ASC) AS language,
  mode() WITHIN GROUP (ORDER BY sensitive ASC) AS sensitive
FROM expert_network.pp_mdn_accounts
CROSS JOIN LATERAL (
  SELECT
    pp_mdn_statuses.account_id,
    pp_mdn_statuses.language,
    pp_mdn_statuses.sensitive
  FROM expert_network.pp_mdn_statuses
  WHERE pp_mdn_statuses.account_id = pp_mdn_accounts.id
    AND pp_mdn_statuses.deleted_at IS NULL
    AND pp_mdn_statuses.reblog_of_id IS NULL
  ORDER BY pp_mdn_statuses.id DESC
  LIMIT 20
) t0
WHERE pp_mdn_accounts.suspended_at IS NULL
  AND pp_mdn_accounts.requested_deletion_at IS NULL
  AND pp_mdn_accounts.silenced_at IS NULL
  AND pp_mdn_accounts.moved_to_account_id IS NULL
  AND pp_mdn_accounts.discoverable = 't'
  AND pp_mdn_accounts.locked = 'f'
GROUP BY pp_mdn_accounts.id
  WITH NO DATA;

CREATE UNIQUE INDEX pp_mdn_index_account_summaries_on_account_id ON expert_network.pp_mdn_account_summaries USING btree (account_id);

CREATE MATERIALIZED VIEW expert_network.pp_mdn_global_follow_recommendations AS
 SELECT
  account_id,
  sum(rank) AS rank,
  array_agg(reason) AS reason
FROM (
  SELECT
    pp_mdn_account_summaries.account_id AS account_id,
    count(pp_mdn_follows.id) / (1.0 + count(pp_mdn_follows.id)) AS rank,
    'most_followed' AS reason
  FROM expert_network.pp_mdn_follows
  INNER JOIN expert_network.pp_mdn_account_summaries ON pp_mdn_account_summaries.account_id = pp_mdn_follows.target_account_id
  INNER JOIN expert_network.pp_mdn_users ON pp_mdn_users.account_id = pp_mdn_follows.account_id
  WHERE pp_mdn_users.current_sign_in_at >= (now() - interval '30 days')
    AND pp_mdn_account_summaries.sensitive = 'f'
    AND NOT EXISTS (SELECT 1 FROM expert_network.pp_mdn_follow_recommendation_suppressions WHERE pp_mdn_follow_recommendation_suppressions.account_id = pp_mdn_follows.target_account_id)
  GROUP BY pp_mdn_account_summaries.account_id
  HAVING count(pp_mdn_follows.id) >= 5
  UNION ALL
  SELECT pp_mdn_account_summaries.account_id AS account_id,
         sum(pp_mdn_status_stats.reblogs_count + pp_mdn_status_stats.favourites_count) / (1.0 + sum(pp_mdn_status_stats.reblogs_count + pp_mdn_status_stats.favourites_count)) AS rank,
         'most_interactions' AS reason
  FROM expert_network.pp_mdn_status_stats
  INNER JOIN expert_network.pp_mdn_statuses ON pp_mdn_statuses.id = pp_mdn_status_stats.status_id
  INNER JOIN expert_network.pp_mdn_account_summaries ON pp_mdn_account_summaries.account_id = pp_mdn_statuses.account_id
  WHERE pp_mdn_statuses.id >= ((date_part('epoch', now() - interval '30 days') * 1000)::bigint << 16)
    AND pp_mdn_account_summaries.sensitive = 'f'
    AND NOT EXISTS (SELECT 1 FROM expert_network.pp_mdn_follow_recommendation_suppressions WHERE pp_mdn_follow_recommendation_suppressions.account_id = pp_mdn_statuses.account_id)
  GROUP BY pp_mdn_account_summaries.account_id
  HAVING sum(pp_mdn_status_stats.reblogs_count + pp_mdn_status_stats.favourites_count) >= 5
) t0
GROUP BY account_id
ORDER BY rank DESC
  WITH NO DATA;

CREATE UNIQUE INDEX pp_mdn_index_global_follow_recommendations_on_account_id ON expert_network.pp_mdn_global_follow_recommendations USING btree (account_id);

CREATE VIEW expert_network.pp_mdn_user_ips AS
 SELECT
  user_id,
  ip,
  max(used_at) AS used_at
FROM (
  SELECT
    id AS user_id,
    sign_up_ip AS ip,
    created_at AS used_at
  FROM expert_network.pp_mdn_users
  WHERE sign_up_ip IS NOT NULL
  UNION ALL
  SELECT
    user_id,
    ip,
    updated_at
  FROM expert_network.pp_mdn_session_activations
  UNION ALL
  SELECT
    user_id,
    ip,
    created_at
  FROM expert_network.pp_mdn_login_activities
  WHERE success = 't'
) AS t0
GROUP BY user_id, ip;

REFRESH MATERIALIZED VIEW expert_network.pp_mdn_account_summaries;
