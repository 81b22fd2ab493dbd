// API keys, newest first; a tenant's alone when $tenant_id is given (never their hashes).
// Params: $tenant_id. Returns: key.
MATCH (k:ApiKey) WHERE $tenant_id IS NULL OR k.tenant_id = $tenant_id
RETURN k {.id, .tenant_id, .name, .scopes, .created_at, .revoked_at, .last_used_at} AS key
ORDER BY k.created_at DESC
