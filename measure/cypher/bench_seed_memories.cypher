// Benchmarks only: create memories with precomputed embeddings, bypassing the NLP stages, so that search
// latency can be measured at 100k memories in minutes. Same properties as the write path.
// Params: $rows (list of {user_id, tenant, id, external_id, conversation_id, content, embedding, sentence_vectors, memory_type,
// significance, occurred_at, seq}).
UNWIND $rows AS row
MERGE (u:User {id: row.user_id})
  ON CREATE SET u.created_at = datetime(), u.memory_count = 0
CREATE (m:Memory {id: row.id, user_id: row.user_id, tenant: row.tenant, external_id: row.external_id,
                  companion_id: 'bench', conversation_id: row.conversation_id, role: 'user',
                  content: row.content, embedding: row.embedding, sentence_vectors: row.sentence_vectors,
                  memory_type: row.memory_type,
                  significance: row.significance, occurred_at: row.occurred_at, ingested_at: datetime(),
                  seq: row.seq, access_count: 0, tier: 'hot', metadata_json: '{}'})
CREATE (u)-[:HAS_MEMORY]->(m)
SET u.memory_count = u.memory_count + 1, u.vector_version = coalesce(u.vector_version, 0) + 1
SET m.vector_version = u.vector_version
