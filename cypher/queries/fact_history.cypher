// Every value a predicate has had for a subject, oldest first, with what superseded what.
// Params: $user_id, $subject_key, $predicate. Returns: fact, superseded_by.
MATCH (f:Fact {user_id: $user_id, predicate: $predicate, subject_key: $subject_key})
OPTIONAL MATCH (newer:Fact {user_id: $user_id})-[s:SUPERSEDES]->(f)
WITH f, collect(newer {.id, .value, at: s.at, reason: s.reason,
                       old_confidence_before: s.old_confidence_before,
                       old_confidence_after: s.old_confidence_after}) AS superseded_by
RETURN f {.id, .subject_key, .predicate, .value, .confidence, .status, .modality, .valid_from, .valid_to} AS fact,
       superseded_by
ORDER BY f.valid_from, f.created_at
