// The memories and facts about one entity of a user, in time order (the user when $entity_key is 'self').
// Params: $user_id, $entity_key, $limit. Returns: at, kind, text, memory_id, fact_id, status.
MATCH (e:Entity {user_id: $user_id, key: $entity_key})
CALL (e) {
  MATCH (m:Memory {user_id: $user_id})-[:MENTIONS]->(e)
  RETURN m.occurred_at AS at, 'memory' AS kind, m.content AS text, m.id AS memory_id, null AS fact_id,
         null AS status
  UNION ALL
  MATCH (f:Fact {user_id: $user_id})-[:SUBJECT|OBJECT]->(e)
  WHERE f.status IN ['current', 'superseded']
  RETURN f.valid_from AS at, 'fact' AS kind, f.predicate + ': ' + f.value AS text, null AS memory_id,
         f.id AS fact_id, f.status AS status
}
RETURN at, kind, text, memory_id, fact_id, status
ORDER BY at
LIMIT $limit
