// One fact of a user. Params: $user_id, $fact_id. Returns: id, subject_key, predicate, value, confidence,
// status, valid_from.
MATCH (f:Fact {id: $fact_id, user_id: $user_id})
RETURN f.id AS id, f.subject_key AS subject_key, f.predicate AS predicate, f.value AS value,
       f.confidence AS confidence, f.status AS status, f.valid_from AS valid_from
