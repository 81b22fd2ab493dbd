// Rebuild stale conversation documents: the text (last 20,000 characters) for Lucene and the sum of the
// memories' embeddings (cosine is scale-free, so the sum ranks like the mean). Params: $limit.
// Returns: refreshed.
MATCH (c:Conversation {doc_stale: true})
WITH c LIMIT $limit
CALL (c) {
  MATCH (m:Memory {user_id: c.user_id, conversation_id: c.id})
  WITH m ORDER BY m.occurred_at, m.seq
  WITH collect(m) AS ms
  SET c.text = right(reduce(t = '', m IN ms | t + CASE t WHEN '' THEN '' ELSE '\n' END + m.content), 20000),
      c.embedding_sum = reduce(acc = null, m IN ms | CASE WHEN acc IS NULL THEN m.embedding
                               ELSE [i IN range(0, size(m.embedding) - 1) | acc[i] + m.embedding[i]] END),
      c.doc_stale = false
}
RETURN count(c) AS refreshed
