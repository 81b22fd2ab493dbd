// Every index with its state. Returns: name, type, state, populationPercent, labels, properties.
SHOW INDEXES YIELD name, type, state, populationPercent, labelsOrTypes, properties
RETURN name, type, state, populationPercent, labelsOrTypes AS labels, properties
ORDER BY name
