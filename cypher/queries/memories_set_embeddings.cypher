// Store new embeddings, stamp them with a new vector_version of their user (in-process memory caches load
// them again) and mark the conversations' documents for a rebuild. A memory whose user node is gone (a
// deletion that raced a write of another process can leave one) is still marked done, or the re-embedding
// would ask for it forever.
// Params: $rows (list of {id, embedding, sentence_vectors}), $model.
UNWIND $rows AS row
MATCH (m:Memory {id: row.id})
OPTIONAL MATCH (u:User {id: m.user_id})
SET m.embedding = row.embedding, m.sentence_vectors = row.sentence_vectors, m.embedding_model = $model,
    u.vector_version = coalesce(u.vector_version, 0) + 1
REMOVE m.sentence_embeddings
SET m.vector_version = u.vector_version
WITH m
MATCH (c:Conversation {user_id: m.user_id, id: m.conversation_id})
SET c.doc_stale = true
