// Neo4j Browser: high-stakes facts waiting for the user's confirmation. :param user_id => 'alice'
// Params: $user_id.
MATCH (pending:Fact {user_id: $user_id, status: 'pending'})
OPTIONAL MATCH (current:Fact {user_id: $user_id, status: 'current', predicate: pending.predicate,
                              subject_key: pending.subject_key})
RETURN pending.predicate AS predicate, current.value AS current_value, pending.value AS proposed_value,
       pending.created_at AS asked_at
ORDER BY asked_at DESC
