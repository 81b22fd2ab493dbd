// How many memories the user holds and the whole graph holds. The total stands alone in its subquery so
// that the planner answers it from the count store in constant time. Params: $user_id.
// Returns: user_count, total_count.
CALL () { MATCH (m:Memory) RETURN count(m) AS total_count }
OPTIONAL MATCH (u:User {id: $user_id})
RETURN coalesce(u.memory_count, 0) AS user_count, total_count
