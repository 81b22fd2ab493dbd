// How many memories the user holds and the whole graph holds (count store: constant time).
// Params: $user_id. Returns: user_count, total_count.
OPTIONAL MATCH (u:User {id: $user_id})
WITH coalesce(u.memory_count, 0) AS user_count
MATCH (m:Memory)
RETURN user_count, count(m) AS total_count
