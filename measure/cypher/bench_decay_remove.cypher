// Benchmarks only: delete the decay benchmark's users and memories, in batches. Params: $prefix.
MATCH (u:User) WHERE u.id STARTS WITH $prefix
CALL (u) {
  MATCH (u)-[:HAS_MEMORY]->(m:Memory)
  DETACH DELETE m
} IN TRANSACTIONS OF 10 ROWS
WITH collect(u) AS users
UNWIND users AS u
DETACH DELETE u
