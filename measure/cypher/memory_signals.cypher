// The write path's signals of each of a user's memories that still holds its content, for the forgetting
// evaluation: its id and message id, whether it asserts a fact or names an entity, and its kind.
// Params: $user_id. Returns: id, message_id, asserts, names, kind, memory_type.
MATCH (m:Memory {user_id: $user_id})
WHERE m.content IS NOT NULL
RETURN m.id AS id, m.external_id AS message_id, EXISTS { (m)-[:ASSERTS]->() } AS asserts,
       EXISTS { (m)-[:MENTIONS]->() } AS names, m.decay_kind AS kind, m.memory_type AS memory_type
