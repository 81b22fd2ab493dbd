// Forget quarantined messages past their retention, at most $limit at a time. Params: $now, $limit.
// Returns: purged.
MATCH (q:Quarantined)
WHERE q.expires_at <= $now
WITH q LIMIT $limit
DELETE q
RETURN count(*) AS purged
