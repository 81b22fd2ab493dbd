// Neo4j Browser: a user's relationship as a timeline. Set the user first: :param user_id => 'alice'
// Shows the conversation chain (NEXT), what each memory mentions, and the facts it asserts.
// Params: $user_id.
MATCH (u:User {id: $user_id})-[:HAS_MEMORY]->(m:Memory)
WITH m ORDER BY m.occurred_at DESC LIMIT 50
OPTIONAL MATCH p1 = (m)-[:NEXT]->(:Memory)
OPTIONAL MATCH p2 = (m)-[:MENTIONS]->(:Entity)
OPTIONAL MATCH p3 = (m)-[:ASSERTS]->(:Fact)
RETURN m, p1, p2, p3
