// Undo forgetting: a user's memories forgotten at or after $since ($since null: all) whose grace period
// has not ended (their content is still there) come back, cold, marked to be kept (the policy that forgot
// them was wrong for them), stamped so that in-process memory caches load them, and their conversations'
// documents are rebuilt with them. Params: $user_id, $since, $as_of. Returns: restored.
MATCH (u:User {id: $user_id})
SET u.vector_version = coalesce(u.vector_version, 0) + 1
WITH u
MATCH (m:Memory {user_id: $user_id})
WHERE m.tier = 'forgotten' AND m.content IS NOT NULL AND ($since IS NULL OR m.forgotten_at >= $since)
SET m.tier = 'cold', m.keeps = true, m.restored_at = $as_of, m.vector_version = u.vector_version
REMOVE m.forgotten_at
WITH m
CALL (m) {
  MATCH (c:Conversation {user_id: m.user_id, id: m.conversation_id})
  SET c.doc_stale = true
}
RETURN count(m) AS restored
