// Neo4j Browser: what superseded what, newest first. :param user_id => 'alice'
// Params: $user_id.
MATCH p = (new:Fact {user_id: $user_id})-[s:SUPERSEDES]->(old:Fact)
RETURN p, s.at AS at, s.reason AS reason, old.value AS was, new.value AS now
ORDER BY s.at DESC
