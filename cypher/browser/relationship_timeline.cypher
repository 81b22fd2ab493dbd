// Neo4j Browser: a user's relationship as a timeline, oldest first (the latest 200 memories): when each
// happened, in which conversation, who said it, what it says, its tier, whom and what it names, and the
// facts it asserts with their status. Rows rather than nodes: a memory node carries its vectors, which the
// Browser would fetch whole. Set the user first: :param user_id => 'alice'
// Params: $user_id.
MATCH (:User {id: $user_id})-[:HAS_MEMORY]->(m:Memory)
WITH m ORDER BY m.occurred_at DESC LIMIT 200
RETURN toString(m.occurred_at) AS happened, m.conversation_id AS conversation,
       coalesce(m.speaker, m.role) AS said_by, m.content AS content, coalesce(m.tier, 'hot') AS tier,
       [(m)-[:MENTIONS]->(e:Entity) | e.name] AS names,
       [(m)-[:ASSERTS]->(f:Fact) | f.predicate + ': ' + f.value + ' (' + f.status + ')'] AS facts
ORDER BY m.occurred_at, m.seq
