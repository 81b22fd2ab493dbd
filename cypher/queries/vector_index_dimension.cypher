// Dimension of a vector index, if it exists. Params: $name. Returns: dimensions.
SHOW VECTOR INDEXES YIELD name, options
WHERE name = $name
RETURN options.indexConfig.`vector.dimensions` AS dimensions
