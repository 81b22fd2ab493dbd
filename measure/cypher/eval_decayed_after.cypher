// Whether a user's memories were scored by a decay pass later than $as_of (a pass run as of now on a store
// of old conversations forgets what a question asked as of then needs). Params: $user_id, $as_of.
// Returns: later.
MATCH (m:Memory {user_id: $user_id})
WHERE m.decayed_at > $as_of
RETURN count(m) > 0 AS later
