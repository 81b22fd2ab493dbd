// Record that a fact superseded another, with the old fact's confidence before and after.
// Params: $user_id, $rows (list of {new_id, old_id, reason, before, after, at}): `at` is when it was said.
UNWIND $rows AS row
MATCH (new:Fact {id: row.new_id, user_id: $user_id})
MATCH (old:Fact {id: row.old_id, user_id: $user_id})
CREATE (new)-[:SUPERSEDES {at: row.at, reason: row.reason, old_confidence_before: row.before,
                           old_confidence_after: row.after}]->(old)
