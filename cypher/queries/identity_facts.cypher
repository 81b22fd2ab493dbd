// The user's current facts about themselves and the people and pets around them (and those a speaker of
// theirs stated about themselves), strongest first, each with the name of whom it is about.
// Params: $user_id, $min_confidence, $limit. Returns: predicate, value, confidence, subject, subject_name,
// valid_from.
MATCH (f:Fact {user_id: $user_id})
WHERE f.status = 'current' AND f.confidence >= $min_confidence
OPTIONAL MATCH (f)-[:SUBJECT]->(s:Entity)
RETURN f.predicate AS predicate, f.value AS value, f.confidence AS confidence, f.subject_key AS subject,
       coalesce(s.name, f.subject_key) AS subject_name, f.valid_from AS valid_from
ORDER BY f.confidence DESC, f.valid_from DESC
LIMIT $limit
