// Create or update a user. Params: $user_id, $tenant_id, $display_name, $metadata_json. Returns: user.
MERGE (u:User {id: $user_id})
  ON CREATE SET u.created_at = datetime(), u.memory_count = 0, u.tenant_id = $tenant_id
SET u.display_name = $display_name, u.metadata_json = $metadata_json, u.updated_at = datetime()
RETURN u {.id, .display_name, .metadata_json, .created_at, .updated_at, .memory_count} AS user
