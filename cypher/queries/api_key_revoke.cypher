// Revoke an API key: it authenticates nothing from now on; the node stays as a record.
// Params: $key_id. Returns: key.
MATCH (k:ApiKey {id: $key_id})
SET k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k {.id, .tenant_id, .name, .scopes, .created_at, .revoked_at, .last_used_at} AS key
