// One memory of one user, with the entities it mentions, the facts it asserts, and whether it names a person
// or pet another memory names too (as decay_memories.cypher asks, for its decay score).
// Params: $user_id, $memory_id. Returns: memory, entities, facts, mentions_people.
MATCH (m:Memory {id: $memory_id, user_id: $user_id})
OPTIONAL MATCH (m)-[:MENTIONS]->(e:Entity)
WITH m, collect(DISTINCT e {.id, .name, .type, .aliases}) AS entities
OPTIONAL MATCH (m)-[:ASSERTS]->(f:Fact)
RETURN m {.*, embedding: null, sentence_embeddings: null, sentence_vectors: null} AS memory, entities,
       collect(DISTINCT f {.id, .predicate, .value, .confidence, .status, .modality}) AS facts,
       EXISTS { (m)-[:MENTIONS]->(p:Entity)<-[:MENTIONS]-(other:Memory)
                WHERE p.type IN ['PERSON', 'PET'] AND other <> m } AS mentions_people
