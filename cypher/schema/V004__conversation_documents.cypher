// A conversation as a document too: its text (the last 20,000 characters) for Lucene and the sum of its
// memories' embeddings (cosine is scale-free, so the sum ranks like the mean) for vector scoring. The
// write path keeps both up to date; this fills them for conversations written before.
CREATE FULLTEXT INDEX conversation_text IF NOT EXISTS FOR (c:Conversation) ON EACH [c.text, c.tenant];
MATCH (c:Conversation) WHERE c.text IS NULL
CALL (c) {
  MATCH (m:Memory {user_id: c.user_id, conversation_id: c.id})
  WITH m ORDER BY m.occurred_at, m.seq
  WITH collect(m) AS ms
  SET c.tenant = ms[0].tenant,
      c.text = right(reduce(t = '', m IN ms | t + CASE t WHEN '' THEN '' ELSE '\n' END + m.content), 20000),
      c.embedding_sum = reduce(acc = null, m IN ms | CASE WHEN acc IS NULL THEN m.embedding
                               ELSE [i IN range(0, size(m.embedding) - 1) | acc[i] + m.embedding[i]] END)
} IN TRANSACTIONS OF 500 ROWS;
