// Record the embedding model the graph's memories are embedded with. Params: $model. Returns: model.
MERGE (s:EmbeddingSpace {name: 'memories'})
SET s.model = $model
RETURN s.model AS model
