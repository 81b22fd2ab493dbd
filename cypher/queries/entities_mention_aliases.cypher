// Link memories to entities they name by alias only ("my dog" once the dog is known as Buster).
// Params: $rows (list of {memory_id, user_id, aliases}).
UNWIND $rows AS row
MATCH (m:Memory {id: row.memory_id})
UNWIND row.aliases AS alias
MATCH (e:Entity {user_id: row.user_id})
WHERE alias IN e.aliases
MERGE (m)-[:MENTIONS]->(e)
