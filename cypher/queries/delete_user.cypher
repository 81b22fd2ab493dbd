// Delete everything a user owns: memories, entities, facts, conversations and the user node.
// Params: $user_id. Returns: memories, entities, facts, conversations, users (counts deleted).
CALL (){ MATCH (m:Memory {user_id: $user_id}) DETACH DELETE m RETURN count(*) AS memories }
CALL (){ MATCH (e:Entity {user_id: $user_id}) DETACH DELETE e RETURN count(*) AS entities }
CALL (){ MATCH (f:Fact {user_id: $user_id}) DETACH DELETE f RETURN count(*) AS facts }
CALL (){ MATCH (c:Conversation {user_id: $user_id}) DETACH DELETE c RETURN count(*) AS conversations }
CALL (){ MATCH (u:User {id: $user_id}) DETACH DELETE u RETURN count(*) AS users }
RETURN memories, entities, facts, conversations, users
