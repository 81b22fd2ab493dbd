// Resolve each named entity within its user's graph by key (never across users), merge aliases, link
// the memory to it. Params: $rows (list of {memory_id, user_id, tenant, entities: [{key, name, type,
// aliases}]}).
UNWIND $rows AS row
MATCH (m:Memory {id: row.memory_id})
UNWIND row.entities AS ent
MERGE (e:Entity {user_id: row.user_id, key: ent.key})
  ON CREATE SET e.id = randomUUID(), e.tenant = row.tenant, e.name = ent.name, e.type = ent.type, e.aliases = ent.aliases,
                e.created_at = m.occurred_at
  ON MATCH SET e.aliases = e.aliases + [a IN ent.aliases WHERE NOT a IN e.aliases],
               e.type = CASE WHEN e.type IN ['THING', 'GROUP'] THEN ent.type ELSE e.type END
MERGE (m)-[:MENTIONS]->(e)
