// What the decay formula reads of the memories of some users (not those already forgotten): when each
// happened and was last recalled, how often, its significance and kind, its tier and stored score,
// whether it names a person or pet the user knows (one another memory names too: a name said once may be
// spaCy's mistake), and what its facts are about (for memories written before kinds were stored).
// Params: $users. Returns: ref, user_id, occurred_ms, accessed_ms, access_count, significance,
// memory_type, kind, tier, score, mentions_people, predicates.
UNWIND $users AS user_id
MATCH (m:Memory {user_id: user_id})
WHERE coalesce(m.tier, 'hot') <> 'forgotten'
RETURN elementId(m) AS ref, user_id, m.occurred_at.epochMillis AS occurred_ms,
       m.last_accessed_at.epochMillis AS accessed_ms, coalesce(m.access_count, 0) AS access_count,
       m.significance AS significance, m.memory_type AS memory_type, m.decay_kind AS kind,
       coalesce(m.tier, 'hot') AS tier, m.decay_score AS score,
       EXISTS { (m)-[:MENTIONS]->(e:Entity)<-[:MENTIONS]-(other:Memory)
                WHERE e.type IN ['PERSON', 'PET'] AND other <> m } AS mentions_people,
       CASE WHEN m.decay_kind IS NULL THEN [(m)-[:ASSERTS]->(f:Fact) | f.predicate] ELSE [] END AS predicates
