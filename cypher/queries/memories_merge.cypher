// Create memories, idempotent on (user_id, external_id): a message sent twice is stored once.
// Params: $rows (list of {id, user_id, external_id, props}). Returns: external_id, id, created,
// significance, memory_type.
UNWIND $rows AS row
MERGE (u:User {id: row.user_id})
  ON CREATE SET u.created_at = datetime(), u.memory_count = 0
MERGE (m:Memory {user_id: row.user_id, external_id: row.external_id})
  ON CREATE SET m += row.props, m.id = row.id
WITH row, u, m, m.id = row.id AS created
CALL (u, m, created) {
  WITH u, m, created WHERE created
  CREATE (u)-[:HAS_MEMORY]->(m)
  SET u.memory_count = coalesce(u.memory_count, 0) + 1
}
RETURN row.external_id AS external_id, m.id AS id, created, m.significance AS significance,
       m.memory_type AS memory_type
