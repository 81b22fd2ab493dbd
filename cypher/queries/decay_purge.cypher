// Delete what forgotten memories held once their grace period is over: their content (and its earlier
// versions), vectors and metadata go (and with them their full-text and vector index entries: the tenant
// token goes too, so Lucene holds nothing of them), so do the facts only they asserted and the entities
// only they named. The node stays as a tombstone, so a conversation's NEXT chain and its timeline keep
// their shape. Their conversations' documents are rebuilt without them, and each user's deleted_memories
// moves on (in-process memory caches reload the user).
// Params: $users (user ids), $until (forgotten at or before), $as_of. Returns: user_id, purged.
UNWIND $users AS user_id
MATCH (m:Memory {user_id: user_id})
WHERE m.tier = 'forgotten' AND m.content IS NOT NULL AND m.forgotten_at <= $until
CALL (m) {
  MATCH (m)-[a:ASSERTS]->(f:Fact)
  DELETE a
  WITH DISTINCT f
  WHERE NOT EXISTS { (f)<-[:ASSERTS]-(:Memory) }
  DETACH DELETE f
}
CALL (m) {
  MATCH (m)-[r:MENTIONS]->(e:Entity)
  DELETE r
  WITH DISTINCT e
  WHERE NOT EXISTS { (e)--() }
  DELETE e
}
CALL (m) {
  MATCH (c:Conversation {user_id: m.user_id, id: m.conversation_id})
  SET c.doc_stale = true
}
SET m.purged_at = $as_of
REMOVE m.content, m.revisions, m.embedding, m.sentence_embeddings, m.sentence_vectors, m.tenant, m.metadata_json,
       m.device_id, m.speaker
WITH user_id, count(m) AS purged
MATCH (u:User {id: user_id})
SET u.deleted_memories = coalesce(u.deleted_memories, 0) + 1
RETURN user_id, purged
