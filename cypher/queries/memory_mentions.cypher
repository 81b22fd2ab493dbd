// What memories mention: the entities each names (resolved by key within the user's graph, never across
// users, aliases merged), and entities the user already has that it names without spaCy tagging them (a
// known name, or an alias such as "my dog"). For memories just written, and for one whose text was
// corrected (its old mentions are gone first).
// Params: $rows (list of {id, user_id, tenant (the owner token), tenant_id, entities: [{key, name, type,
// aliases}], names, aliases}).
UNWIND $rows AS row
MATCH (m:Memory {id: row.id, user_id: row.user_id})
CALL (row, m) {
  UNWIND row.entities AS ent
  MERGE (e:Entity {user_id: row.user_id, key: ent.key})
    ON CREATE SET e.id = randomUUID(), e.tenant = row.tenant, e.tenant_id = row.tenant_id, e.name = ent.name,
                  e.type = ent.type, e.aliases = ent.aliases, e.created_at = m.occurred_at
    ON MATCH SET e.aliases = e.aliases + [a IN ent.aliases WHERE NOT a IN e.aliases],
                 e.type = CASE WHEN e.type IN ['THING', 'GROUP'] THEN ent.type ELSE e.type END
  MERGE (m)-[:MENTIONS]->(e)
}
CALL (row, m) {
  UNWIND row.names AS name
  MATCH (e:Entity {user_id: row.user_id, key: name})
  WHERE name <> 'self'
  MERGE (m)-[:MENTIONS]->(e)
}
CALL (row, m) {
  WITH row, m WHERE size(row.aliases) > 0
  MATCH (e:Entity {user_id: row.user_id})
  WHERE any(alias IN e.aliases WHERE alias IN row.aliases)
  MERGE (m)-[:MENTIONS]->(e)
}
