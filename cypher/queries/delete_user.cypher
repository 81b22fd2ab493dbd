// Delete everything a user owns: memories, facts, entities, conversations, quarantined messages and the
// user node, in batches (a user with 100k memories does not fit one transaction's memory). Auto-commit
// only; idempotent, so an interrupted deletion is finished by running it again.
// Params: $user_id. Returns: kind, deleted (one row per label that had nodes).
CALL () {
  MATCH (n:Memory {user_id: $user_id}) RETURN n
  UNION ALL
  MATCH (n:Fact {user_id: $user_id}) RETURN n
  UNION ALL
  MATCH (n:Entity {user_id: $user_id}) RETURN n
  UNION ALL
  MATCH (n:Conversation {user_id: $user_id}) RETURN n
  UNION ALL
  MATCH (n:Quarantined {user_id: $user_id}) RETURN n
  UNION ALL
  MATCH (n:User {id: $user_id}) RETURN n
}
WITH n, labels(n)[0] AS kind
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS
RETURN kind, count(*) AS deleted
