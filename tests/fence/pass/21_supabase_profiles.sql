-- Pass corpus 21: Supabase's user-management starter, re-homed: RLS policies, moddatetime, storage
-- of the JWT claim in a custom setting, and a COMMENT ON EXTENSION for expert_network's own extension.
create extension if not exists moddatetime schema expert_network;
comment on extension moddatetime is 'updated_at triggers for expert_network';

create table expert_network.pp_profiles (
  id uuid not null primary key,
  updated_at timestamp with time zone,
  username text unique,
  full_name text,
  avatar_url text,
  website text,

  constraint username_length check (char_length(username) >= 3)
);

alter table expert_network.pp_profiles
  enable row level security;

create policy "Public profiles are viewable by everyone." on expert_network.pp_profiles
  for select using (true);

create policy "Users can insert their own profile." on expert_network.pp_profiles
  for insert with check ((select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid) = id);

create policy "Users can update own profile." on expert_network.pp_profiles
  for update using ((select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid) = id);

create trigger handle_updated_at before update on expert_network.pp_profiles
  for each row execute procedure expert_network.moddatetime (updated_at);

grant select on expert_network.pp_profiles to en_pass_reader;
