// What the decay formula reads of the memories of some users (not those already forgotten), one row a
// user with one list a column (lists decode far faster than a record a memory): when each happened and
// was last recalled (-1: never), how often, its significance and kind ('': written before kinds were
// stored), its tier, whether it names a person or pet the user knows (one another memory names too: a
// name said once may be spaCy's mistake; memory_get.cypher asks the same), and, where it has no kind, what
// its facts are about, and whether it carries anything a question could need (`keeps`: the write path's
// judgement, or any fact it asserts or entity it names; a memory written before the write path judged
// it is kept). Params: $users. Returns: user_id, refs, ids, occurred_ms, accessed_ms, access_count,
// significance, memory_type, kind, tier, mentions_people, predicates, keeps.
UNWIND $users AS user_id
MATCH (m:Memory {user_id: user_id})
WHERE coalesce(m.tier, 'hot') <> 'forgotten'
WITH user_id, m,
     EXISTS { (m)-[:MENTIONS]->(e:Entity)<-[:MENTIONS]-(other:Memory)
              WHERE e.type IN ['PERSON', 'PET'] AND other <> m } AS mentions_people
RETURN user_id, collect(elementId(m)) AS refs, collect(m.id) AS ids,
       collect(m.occurred_at.epochMillis) AS occurred_ms,
       collect(coalesce(m.last_accessed_at.epochMillis, -1)) AS accessed_ms,
       collect(coalesce(m.access_count, 0)) AS access_count, collect(m.significance) AS significance,
       collect(m.memory_type) AS memory_type, collect(coalesce(m.decay_kind, '')) AS kind,
       collect(coalesce(m.tier, 'hot')) AS tier,
       collect(mentions_people) AS mentions_people,
       collect(CASE WHEN m.decay_kind IS NULL THEN [(m)-[:ASSERTS]->(f:Fact) | f.predicate] ELSE [] END)
         AS predicates,
       collect(coalesce(m.keeps, true) OR EXISTS { (m)-[:ASSERTS]->() } OR EXISTS { (m)-[:MENTIONS]->() })
         AS keeps
