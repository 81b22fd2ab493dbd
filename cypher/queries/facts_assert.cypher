// Link memories to the facts they assert. Params: $rows (list of {memory_id, fact_id}).
UNWIND $rows AS row
MATCH (m:Memory {id: row.memory_id})
MATCH (f:Fact {id: row.fact_id, user_id: m.user_id})
MERGE (m)-[:ASSERTS]->(f)
