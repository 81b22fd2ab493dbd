// A user's facts of the given statuses (`current`: what the service believes now; `pending`: what waits
// for the user's answer to a clarification), by subject and predicate.
// Params: $user_id, $statuses. Returns: fact.
MATCH (f:Fact {user_id: $user_id})
WHERE f.status IN $statuses
RETURN f {.id, .subject_key, .predicate, .value, .confidence, .status, .modality, .valid_from, .valid_to} AS fact
ORDER BY f.subject_key, f.predicate, f.confidence DESC
