// A user's current facts (what the service believes now), by subject and predicate.
// Params: $user_id. Returns: fact.
MATCH (f:Fact {user_id: $user_id})
WHERE f.status = 'current'
RETURN f {.id, .subject_key, .predicate, .value, .confidence, .status, .modality, .valid_from, .valid_to} AS fact
ORDER BY f.subject_key, f.predicate, f.confidence DESC
