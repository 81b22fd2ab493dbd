// Store new embeddings and mark the conversations' documents for a rebuild.
// Params: $rows (list of {id, embedding}), $model.
UNWIND $rows AS row
MATCH (m:Memory {id: row.id})
SET m.embedding = row.embedding, m.embedding_model = $model
WITH m
MATCH (c:Conversation {user_id: m.user_id, id: m.conversation_id})
SET c.doc_stale = true
