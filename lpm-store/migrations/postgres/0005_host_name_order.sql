-- The host list's default order (name: the FQDN, else the address; then id) as an index, so a
-- page is read in order from it instead of sorting every host in scope on each request.
-- Keep in step with ../sqlite/0004_host_name_order.sql.

CREATE INDEX hosts_name_order ON hosts ((COALESCE(fqdn, ip)), id);
