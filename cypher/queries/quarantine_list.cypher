// A user's quarantined messages not yet expired as of $now (every one when $now is null), newest first.
// Params: $user_id, $now, $limit. Returns: item (every property of the quarantined message).
MATCH (q:Quarantined {user_id: $user_id})
WHERE $now IS NULL OR q.expires_at > $now
RETURN q {.*} AS item
ORDER BY q.quarantined_at DESC, q.id
LIMIT $limit
