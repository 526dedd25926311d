-- Pass corpus 77: a PL/pgSQL function whose VARIADIC parameter is an array of an enum the migrations
-- make, named unqualified, as logto-io/logto (commit 1fbc55441fd28d9e3e7d69c1522e7654dccfe99c) writes
-- in packages/schemas/tables/applications.sql (`create type application_type as enum (...)`, `create
-- function check_application_type(application_id varchar(21), variadic target_type
-- application_type[]) returns boolean as $$ begin return (select type from applications where id =
-- application_id) = any(target_type); end; $$ language plpgsql set search_path = public;`). Re-homed into expert_network: `SET search_path TO
-- expert_network` first and the function's `set search_path = public` made expert_network, table cut
-- to the columns used, names prefixed pp_lt_, the rest as logto wrote it. The fence refused the body
-- as unparsable ("VARIADIC parameter must be an array", and without VARIADIC "PL/pgSQL functions
-- cannot accept type _record"): libpg_query reads a type it cannot look up as record, and an array
-- of record is no parameter's type. The header is parsed with a stand-in for the migrations' own
-- types named unqualified, as for those written expert_network.x; the names are judged as written
-- (psql on PG 15: the parameter's type is expert_network.pp_lt_application_type[]).
BEGIN;

SET search_path TO expert_network;

create type pp_lt_application_type as enum ('Native', 'SPA', 'Traditional', 'MachineToMachine', 'Protected', 'SAML');

create table pp_lt_applications (
  id varchar(21) not null,
  name varchar(256) not null,
  type pp_lt_application_type not null,
  primary key (id)
);

create function pp_lt_check_application_type(
  application_id varchar(21),
  variadic target_type pp_lt_application_type[]
) returns boolean as
$$ begin
  return (select type from pp_lt_applications where id = application_id) = any(target_type);
end; $$ language plpgsql set search_path = expert_network;

COMMIT;
