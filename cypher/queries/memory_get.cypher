// One memory of one user, with the entities it mentions and the facts it asserts.
// Params: $user_id, $memory_id. Returns: memory, entities, facts.
MATCH (m:Memory {id: $memory_id, user_id: $user_id})
OPTIONAL MATCH (m)-[:MENTIONS]->(e:Entity)
WITH m, collect(DISTINCT e {.id, .name, .type, .aliases}) AS entities
OPTIONAL MATCH (m)-[:ASSERTS]->(f:Fact)
RETURN m {.*, embedding: null, sentence_embeddings: null, sentence_vectors: null} AS memory, entities,
       collect(DISTINCT f {.id, .predicate, .value, .confidence, .status, .modality}) AS facts
