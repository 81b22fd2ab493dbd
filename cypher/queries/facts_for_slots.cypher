// The facts that stand for given (subject, predicate) slots of one user, for the write path's decisions.
// Params: $user_id, $predicates. Returns: id, subject_key, predicate, value, confidence, status.
MATCH (f:Fact {user_id: $user_id})
WHERE f.predicate IN $predicates AND f.status IN ['current', 'superseded', 'candidate', 'pending']
RETURN f.id AS id, f.subject_key AS subject_key, f.predicate AS predicate, f.value AS value,
       f.confidence AS confidence, f.status AS status
