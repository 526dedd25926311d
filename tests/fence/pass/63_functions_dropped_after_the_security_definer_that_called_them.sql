-- Pass corpus 63: supabase/storage's migrations/tenant/0059-drop-unused-functions.sql (commit
-- 4fa61fba9371c4bd40cbb81509f07bcb3af21683), re-homed as corpus 62 says: the SECURITY DEFINER
-- function dropped first, then the helpers it called. The fence refused corpus 62's definer for
-- these drops; it now judges each body where it stops running, here the first drop. get_level(text)
-- stays: pp_sl_prefixes' generated column needs it (storage's 0052 had dropped its prefixes table).
-- drop unused functions
-- this is a fix for functions that had the wrong signature in 0052

DROP FUNCTION IF EXISTS expert_network.pp_sl_delete_leaf_prefixes(text[],text[]);

DROP FUNCTION IF EXISTS expert_network.pp_sl_get_prefixes(text);
