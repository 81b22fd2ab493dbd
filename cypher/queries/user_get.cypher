// One user. Params: $user_id. Returns: user.
MATCH (u:User {id: $user_id})
RETURN u {.id, .display_name, .metadata_json, .created_at, .updated_at, .memory_count} AS user
