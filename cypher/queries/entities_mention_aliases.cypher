// Link memories to entities of the user they name without spaCy having tagged them: by a known name
// ("Buster chewed my shoes") or by alias only ("my dog" once the dog is known as Buster).
// Params: $rows (list of {memory_id, user_id, names, aliases}).
UNWIND $rows AS row
MATCH (m:Memory {id: row.memory_id})
MATCH (e:Entity {user_id: row.user_id})
WHERE e.key <> 'self' AND (e.key IN row.names OR any(alias IN e.aliases WHERE alias IN row.aliases))
MERGE (m)-[:MENTIONS]->(e)
