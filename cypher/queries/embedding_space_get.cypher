// The embedding model the graph's memories were embedded with, as recorded (none on a graph that predates
// the record). Params: none. Returns: model.
MATCH (s:EmbeddingSpace {name: 'memories'})
RETURN s.model AS model
