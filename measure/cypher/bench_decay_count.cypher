// Benchmarks only: how many memories the decay benchmark's users hold. Params: $prefix. Returns: memories.
MATCH (u:User) WHERE u.id STARTS WITH $prefix
RETURN sum(u.memory_count) AS memories
