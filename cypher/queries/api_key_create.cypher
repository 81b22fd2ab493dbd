// Store a new API key of a tenant (its secret's hash only).
// Params: $key_id, $tenant_id, $name, $scopes, $secret_hash. Returns: key.
CREATE (k:ApiKey {id: $key_id, tenant_id: $tenant_id, name: $name, scopes: $scopes, secret_hash: $secret_hash,
                  created_at: datetime()})
RETURN k {.id, .tenant_id, .name, .scopes, .created_at, .revoked_at, .last_used_at} AS key
