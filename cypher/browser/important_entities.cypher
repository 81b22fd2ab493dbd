// Neo4j Browser: the entities that matter most to a user (mentions weighted by significance).
// :param user_id => 'alice'. Params: $user_id.
MATCH (m:Memory {user_id: $user_id})-[:MENTIONS]->(e:Entity {user_id: $user_id})
RETURN e.name AS entity, e.type AS type, count(m) AS mentions, round(sum(m.significance), 2) AS weight,
       max(m.occurred_at) AS last_mentioned
ORDER BY weight DESC
LIMIT 25
