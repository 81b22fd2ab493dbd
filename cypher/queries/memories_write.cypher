// Write memories in one round trip, idempotent on (user_id, external_id): a message sent twice is stored
// once. For each new memory: its user and conversation, and its place in the conversation's NEXT chain by
// (occurred_at, seq) whatever the arrival order (what it mentions: `memory_mentions`). The
// conversation's document (text, embedding sum) is marked stale and refreshed off the request path. The
// user's vector_version moves on and stamps the memory (in-process memory caches load what is newer).
// Params: $rows (list of {id, user_id, tenant (the owner token), tenant_id, external_id, props}).
// Returns: external_id, id, created, significance, memory_type.
UNWIND $rows AS row
MERGE (u:User {id: row.user_id})
  ON CREATE SET u.created_at = datetime(), u.memory_count = 0, u.tenant_id = row.tenant_id
MERGE (m:Memory {user_id: row.user_id, external_id: row.external_id})
  ON CREATE SET m += row.props, m.id = row.id
WITH row, u, m, m.id = row.id AS created
CALL (row, u, m, created) {
  WITH * WHERE created
  CREATE (u)-[:HAS_MEMORY]->(m)
  SET u.memory_count = coalesce(u.memory_count, 0) + 1, u.vector_version = coalesce(u.vector_version, 0) + 1
  SET m.vector_version = u.vector_version
  MERGE (c:Conversation {user_id: m.user_id, id: m.conversation_id})
    ON CREATE SET c.started_at = m.occurred_at, c.companion_id = m.companion_id, c.tenant_id = row.tenant_id
  SET c.last_message_at = CASE WHEN c.last_message_at IS NULL OR m.occurred_at > c.last_message_at
                               THEN m.occurred_at ELSE c.last_message_at END,
      c.tenant = row.tenant,
      c.doc_stale = true
  MERGE (u)-[:HAS_CONVERSATION]->(c)
  MERGE (companion:Companion {id: m.companion_id})
    ON CREATE SET companion.tenant_id = row.tenant_id
  MERGE (c)-[:WITH]->(companion)
  WITH row, m
  CALL (m) {
    OPTIONAL MATCH (p:Memory {user_id: m.user_id, conversation_id: m.conversation_id})
    WHERE p.occurred_at < m.occurred_at OR (p.occurred_at = m.occurred_at AND p.seq < m.seq)
    WITH p ORDER BY p.occurred_at DESC, p.seq DESC LIMIT 1
    OPTIONAL MATCH (s:Memory {user_id: m.user_id, conversation_id: m.conversation_id})
    WHERE s.occurred_at > m.occurred_at OR (s.occurred_at = m.occurred_at AND s.seq > m.seq)
    WITH p, s ORDER BY s.occurred_at, s.seq LIMIT 1
    // m now follows p and precedes s, so any other edge out of p or into s skips m. Not only p->s: rows
    // of one statement may see each other's memories before their edges (two back-filled into one gap).
    CALL (p, m) {
      MATCH (p)-[old:NEXT]->(after) WHERE after <> m
      DELETE old
    }
    CALL (s, m) {
      MATCH (before)-[old:NEXT]->(s) WHERE before <> m
      DELETE old
    }
    FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (p)-[:NEXT]->(m))
    FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | MERGE (m)-[:NEXT]->(s))
  }
}
RETURN row.external_id AS external_id, m.id AS id, created, m.significance AS significance,
       m.memory_type AS memory_type
