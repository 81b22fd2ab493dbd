// One companion. Params: $companion_id. Returns: companion.
MATCH (c:Companion {id: $companion_id})
RETURN c {.id, .name, .persona, .created_at, .updated_at} AS companion
