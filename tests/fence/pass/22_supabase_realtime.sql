-- Pass corpus 22: Supabase realtime for an expert_network table. Needs the publication Supabase
-- creates (`CREATE PUBLICATION supabase_realtime;`) in the test fixture: a migration may not create it.
alter publication supabase_realtime add table expert_network.pp_profiles;
alter publication supabase_realtime drop table expert_network.pp_profiles;
alter publication supabase_realtime add table only expert_network.pp_profiles;
