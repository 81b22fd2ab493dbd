// Drop one quarantined message of a user (released into memory, or discarded). Params: $user_id, $id.
// Returns: deleted (0 or 1).
OPTIONAL MATCH (q:Quarantined {id: $id})
WHERE q.user_id = $user_id
WITH q, count(q) AS found
DELETE q
RETURN found AS deleted
