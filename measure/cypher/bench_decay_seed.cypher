// Benchmarks only: users with many light memories for the decay pass (no content or vectors, which the
// pass does not read; what it reads is set as the write path sets it, spread over three years, one in five
// carrying nothing a question could need).
// Params: $users (list of ids), $each, $now. Returns: created.
UNWIND $users AS user_id
MERGE (u:User {id: user_id})
  ON CREATE SET u.created_at = datetime(), u.memory_count = 0, u.vector_version = 0
WITH u
UNWIND range(1, $each) AS i
WITH u, i, rand() AS r
CREATE (m:Memory {id: randomUUID(), user_id: u.id, external_id: 'd' + toString(i), companion_id: 'bench',
                  conversation_id: 'c' + toString(i / 20), role: 'user', seq: i,
                  memory_type: ['conversation', 'event', 'observation', 'relationship'][i % 4],
                  decay_kind: ['chatter', 'event', 'observation', 'relationship', 'identity', 'mood'][i % 6],
                  significance: round(r, 2), occurred_at: $now - duration({minutes: toInteger(r * 1576800)}),
                  ingested_at: $now, access_count: i % 7, tier: 'hot', vector_version: 0, keeps: i % 5 <> 0})
SET m.last_accessed_at = CASE WHEN i % 7 = 0 THEN null ELSE m.occurred_at + duration({days: i % 30}) END
CREATE (u)-[:HAS_MEMORY]->(m)
WITH u, count(m) AS created
SET u.memory_count = u.memory_count + created
RETURN sum(created) AS created
