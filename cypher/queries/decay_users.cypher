// The next users of a decay pass, in id order after $after, of ids that start with $prefix, with how many memories each holds.
// Params: $after, $prefix, $limit. Returns: user_id, memories.
MATCH (u:User)
WHERE u.id > $after AND u.id STARTS WITH $prefix
RETURN u.id AS user_id, coalesce(u.memory_count, 0) AS memories
ORDER BY u.id
LIMIT $limit
