-- Pass corpus 31: the migrations of an axum + sqlx "realworld" backend, as its users write them, re-homed:
-- uuid-ossp and citext into expert_network, a nondeterministic ICU collation, the `set_updated_at` /
-- `trigger_updated_at` pair of 18 reused through a regclass literal, `gen_random_uuid()` defaults,
-- partial and expression indexes, a many-to-many with a composite key, and a citext array.
create extension if not exists "uuid-ossp" with schema expert_network;
create extension if not exists citext with schema expert_network;

create collation expert_network.pp_rw_case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

create table expert_network.pp_rw_user
(
    user_id       uuid primary key                                default expert_network.uuid_generate_v1mc(),
    username      text collate expert_network.pp_rw_case_insensitive unique not null,
    email         expert_network.citext unique                    not null,
    bio           text                                            not null default '',
    image         text,
    password_hash text                                            not null,
    created_at    timestamptz                                     not null default now(),
    updated_at    timestamptz
);

select expert_network.trigger_updated_at('expert_network.pp_rw_user');

create table expert_network.pp_rw_article
(
    article_id  uuid primary key                                        default gen_random_uuid(),
    user_id     uuid        not null references expert_network.pp_rw_user (user_id) on delete cascade,
    slug        text unique not null,
    title       text        not null,
    description text        not null,
    body        text        not null,
    tag_list    expert_network.citext[] not null                        default '{}',
    created_at  timestamptz not null                                    default now(),
    updated_at  timestamptz
);

create index pp_rw_article_tags_gin on expert_network.pp_rw_article using gin (tag_list);
create index pp_rw_article_recent on expert_network.pp_rw_article (created_at desc) where updated_at is null;
create index pp_rw_article_lower_title on expert_network.pp_rw_article (lower(title));

select expert_network.trigger_updated_at('expert_network.pp_rw_article');

create table expert_network.pp_rw_follow
(
    followed_user_id  uuid not null references expert_network.pp_rw_user (user_id) on delete cascade,
    following_user_id uuid not null references expert_network.pp_rw_user (user_id) on delete cascade,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz,
    constraint pp_rw_user_cannot_follow_self check (followed_user_id != following_user_id),
    primary key (following_user_id, followed_user_id)
);

select expert_network.trigger_updated_at('expert_network.pp_rw_follow');

insert into expert_network.pp_rw_user (username, email, password_hash)
values ('Ada', 'ADA@example.com', 'x'), ('bob', 'bob@example.com', 'y')
on conflict do nothing;

select count(*) from expert_network.pp_rw_user where username = 'ada' and email = 'ada@example.com';
