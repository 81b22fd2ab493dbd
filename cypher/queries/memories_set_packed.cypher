// Store memories' sentence vectors packed in place of their float lists. The vectors a search reads are
// the same, so no user's vector_version moves. Params: $rows (list of {ref, sentence_vectors}).
UNWIND $rows AS row
MATCH (m:Memory) WHERE elementId(m) = row.ref
SET m.sentence_vectors = row.sentence_vectors
REMOVE m.sentence_embeddings
