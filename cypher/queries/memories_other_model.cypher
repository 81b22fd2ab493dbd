// One embedding model the graph's memories carry that is none of $accepted (a graph recorded before the
// model was: read once, at the first start that finds no record). Memories with no model name say nothing.
// Params: $accepted. Returns: model.
MATCH (m:Memory)
WHERE m.embedding_model IS NOT NULL AND NOT m.embedding_model IN $accepted
RETURN m.embedding_model AS model
LIMIT 1
