// How much a decay pass has to do after $after: users and their memories. Params: $after, $prefix.
// Returns: users, memories.
MATCH (u:User)
WHERE u.id > $after AND u.id STARTS WITH $prefix
RETURN count(u) AS users, sum(coalesce(u.memory_count, 0)) AS memories
