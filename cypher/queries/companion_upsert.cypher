// Create or update a companion and its persona. Params: $companion_id, $tenant_id, $name, $persona.
// Returns: companion.
MERGE (c:Companion {id: $companion_id})
  ON CREATE SET c.created_at = datetime(), c.tenant_id = $tenant_id
SET c.name = $name, c.persona = $persona, c.updated_at = datetime()
RETURN c {.id, .name, .persona, .created_at, .updated_at} AS companion
