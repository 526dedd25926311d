SELECT count(*)
FROM pg_catalog.pg_attribute
WHERE attrelid = 'expert_network.vendor_platforms'::pg_catalog.regclass
  AND attname = 'user_id' AND NOT attisdropped
