// Delete one memory: close the gap in its timeline, drop facts only it asserted, fix the user's count and
// count the deletion (in-process memory caches reload the user).
// Params: $user_id, $memory_id. Returns: deleted.
MATCH (m:Memory {id: $memory_id, user_id: $user_id})
OPTIONAL MATCH (p:Memory)-[:NEXT]->(m)
OPTIONAL MATCH (m)-[:NEXT]->(s:Memory)
FOREACH (_ IN CASE WHEN p IS NULL OR s IS NULL THEN [] ELSE [1] END | MERGE (p)-[:NEXT]->(s))
WITH m
CALL (m) {
  MATCH (m)-[:ASSERTS]->(f:Fact)
  WHERE COUNT { (f)<-[:ASSERTS]-(:Memory) } = 1
  DETACH DELETE f
}
CALL (m) {
  MATCH (u:User {id: m.user_id})
  SET u.memory_count = u.memory_count - 1, u.deleted_memories = coalesce(u.deleted_memories, 0) + 1
}
DETACH DELETE m
RETURN count(*) AS deleted
