// Put new memories into their conversation's NEXT chain by (occurred_at, seq), whatever the arrival
// order, and attach the conversation to its user and companion. Each row's subquery sees the rows
// linked before it. Params: $ids (memory ids, in arrival order).
UNWIND $ids AS memory_id
MATCH (m:Memory {id: memory_id})
MERGE (c:Conversation {user_id: m.user_id, id: m.conversation_id})
  ON CREATE SET c.started_at = m.occurred_at, c.companion_id = m.companion_id
WITH m, c
CALL (m, c) {
  MATCH (u:User {id: m.user_id})
  MERGE (u)-[:HAS_CONVERSATION]->(c)
  MERGE (companion:Companion {id: m.companion_id})
  MERGE (c)-[:WITH]->(companion)
}
CALL (m) {
  OPTIONAL MATCH (p:Memory {user_id: m.user_id, conversation_id: m.conversation_id})
  WHERE p.occurred_at < m.occurred_at OR (p.occurred_at = m.occurred_at AND p.seq < m.seq)
  WITH p ORDER BY p.occurred_at DESC, p.seq DESC LIMIT 1
  OPTIONAL MATCH (s:Memory {user_id: m.user_id, conversation_id: m.conversation_id})
  WHERE s.occurred_at > m.occurred_at OR (s.occurred_at = m.occurred_at AND s.seq > m.seq)
  WITH p, s ORDER BY s.occurred_at, s.seq LIMIT 1
  OPTIONAL MATCH (p)-[old:NEXT]->(s)
  DELETE old
  FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (p)-[:NEXT]->(m))
  FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | MERGE (m)-[:NEXT]->(s))
}
SET c.last_message_at = CASE WHEN c.last_message_at IS NULL OR m.occurred_at > c.last_message_at
                             THEN m.occurred_at ELSE c.last_message_at END
