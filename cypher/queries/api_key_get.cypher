// One API key by id, with its secret's hash, to authenticate a request. Params: $key_id. Returns: key.
MATCH (k:ApiKey {id: $key_id})
RETURN k {.id, .tenant_id, .name, .scopes, .secret_hash, .created_at, .revoked_at, .last_used_at} AS key
