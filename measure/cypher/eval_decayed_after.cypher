// Whether a user's memories were scored by a decay pass, or recalled, later than $as_of (a pass run as of
// now on a store of old conversations forgets what a question asked as of then needs; a recall from now
// keeps a memory hot that was cold then). Params: $user_id, $as_of.
// Returns: later.
MATCH (m:Memory {user_id: $user_id})
WHERE m.decayed_at > $as_of OR m.last_accessed_at > $as_of
RETURN count(m) > 0 AS later
