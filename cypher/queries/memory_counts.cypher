// How many memories the user holds and the whole graph holds, and where the user's vectors stand (for the
// in-process vector cache). The total stands alone in its subquery so that the planner answers it from
// the count store in constant time. Params: $user_id.
// Returns: user_count, total_count, vector_version, deleted_memories, generation.
CALL () { MATCH (m:Memory) RETURN count(m) AS total_count }
OPTIONAL MATCH (u:User {id: $user_id})
RETURN coalesce(u.memory_count, 0) AS user_count, total_count,
       coalesce(u.vector_version, 0) AS vector_version, coalesce(u.deleted_memories, 0) AS deleted_memories,
       toString(u.created_at) AS generation
