// The user's current facts about themselves and the people and pets around them, strongest first.
// Params: $user_id, $min_confidence, $limit. Returns: predicate, value, confidence, subject, valid_from.
MATCH (f:Fact {user_id: $user_id})
WHERE f.status = 'current' AND f.confidence >= $min_confidence
RETURN f.predicate AS predicate, f.value AS value, f.confidence AS confidence, f.subject_key AS subject,
       f.valid_from AS valid_from
ORDER BY f.confidence DESC, f.valid_from DESC
LIMIT $limit
