-- en-migrate: allow dynamic-sql
-- Pass corpus 18: sqlx's realworld example (migrations/1_setup.sql), re-homed: the
-- trigger_updated_at helper, a case-insensitive ICU collation, and its first table.

-- This is a boilerplate migration file that we use in nearly every project.
-- It sets up database features that we use quite often.

-- As a style choice, we prefer not to write SQL in all uppercase as lowercase feels friendlier to the eyes.
-- It's nicer to read WHEN THE CODE ISN'T YELLING AT YOU ALL DAY.

-- We try to ensure every table has `created_at` and `updated_at` columns, which can help immensely with debugging
-- and auditing.
create or replace function expert_network.set_updated_at()
    returns trigger as
$$
begin
    NEW.updated_at = now();
    return NEW;
end;
$$ language plpgsql;

create or replace function expert_network.trigger_updated_at(tablename regclass)
    returns void as
$$
begin
    execute format('CREATE TRIGGER set_updated_at
        BEFORE UPDATE
        ON %s
        FOR EACH ROW
        WHEN (OLD is distinct from NEW)
    EXECUTE FUNCTION expert_network.set_updated_at();', tablename);
end;
$$ language plpgsql;

-- Finally, this is a text collation that sorts text case-insensitively, useful for `UNIQUE` indexes
-- over things like usernames and emails, without needing to remember to do case-conversion.
create collation expert_network.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

create table expert_network."pp_sqlx_user"
(
    user_id       uuid primary key                                default gen_random_uuid(),
    username      text collate expert_network."case_insensitive" unique not null,
    email         text collate expert_network."case_insensitive" unique not null,
    bio           text                                not null default '',
    image         text,
    password_hash text                                not null,
    created_at    timestamptz                         not null default now(),
    updated_at    timestamptz
);

select expert_network.trigger_updated_at('expert_network."pp_sqlx_user"');
