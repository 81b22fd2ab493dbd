// Where a user's memories stand (the memory cache's version stamps), as the first round trip of a search
// reads them: for the context cache, which reuses an entry only while they have not moved.
// Params: $user_id. Returns: user_count, vector_version, deleted_memories, generation.
OPTIONAL MATCH (u:User {id: $user_id})
RETURN coalesce(u.memory_count, 0) AS user_count, coalesce(u.vector_version, 0) AS vector_version,
       coalesce(u.deleted_memories, 0) AS deleted_memories, toString(u.created_at) AS generation
