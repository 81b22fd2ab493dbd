// Every current fact of the users whose ids start with a prefix, with the message it was first read from.
// Params: $prefix. Returns: fact_id, user_id, predicate, value, subject, source.
MATCH (f:Fact)
WHERE f.user_id STARTS WITH $prefix AND f.status = 'current'
MATCH (m:Memory)-[:ASSERTS]->(f)
WITH f, m ORDER BY m.occurred_at
WITH f, collect(m.content)[0] AS source
RETURN f.id AS fact_id, f.user_id AS user_id, f.predicate AS predicate, f.value AS value,
       f.subject_key AS subject, source
