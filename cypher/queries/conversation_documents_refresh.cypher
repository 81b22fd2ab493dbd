// Rebuild stale conversation documents: the text (last 20,000 characters) for Lucene and the sum of the
// memories' embeddings (cosine is scale-free, so the sum ranks like the mean). Each embedding is read
// once into a list value: indexing `m.embedding[i]` in the comprehension re-read the property per element
// and cost 25-180 ms a conversation of Neo4j CPU (1-3 ms now). During a re-embed the conversation holds
// vectors of two sizes; only those of its latest memory's size are summed. Forgotten memories, whose content
// waits out its grace period, are left out. Params: $limit.
// Returns: refreshed.
MATCH (c:Conversation {doc_stale: true})
WITH c LIMIT $limit
CALL (c) {
  MATCH (m:Memory {user_id: c.user_id, conversation_id: c.id})
  WHERE coalesce(m.tier, 'hot') <> 'forgotten'
  WITH m.content AS content, m.embedding AS embedding ORDER BY m.occurred_at, m.seq
  WITH collect(content) AS texts, collect(embedding) AS embeddings
  WITH texts, embeddings, size(embeddings[-1]) AS dimensions
  WITH texts, dimensions, [e IN embeddings WHERE size(e) = dimensions] AS embeddings
  SET c.text = right(reduce(t = '', x IN texts | t + CASE t WHEN '' THEN '' ELSE '\n' END + x), 20000),
      c.embedding_sum = CASE WHEN dimensions IS NULL THEN null
                        ELSE [i IN range(0, dimensions - 1) | reduce(s = 0.0, e IN embeddings | s + e[i])] END,
      c.doc_stale = false
}
RETURN count(c) AS refreshed
