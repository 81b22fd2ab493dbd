// Update confidence and status of existing facts; a fact leaving `current` gets its validity closed. The
// memories asserting them are stamped with a new vector_version, so that in-process memory caches reload
// their fact statuses (a memory whose facts were all superseded ranks lower).
// Params: $user_id, $rows (list of {id, confidence, status, at}): `at` closes a validity.
UNWIND $rows AS row
MATCH (f:Fact {id: row.id, user_id: $user_id})
SET f.valid_to = CASE WHEN f.status = 'current' AND row.status <> 'current' THEN row.at
                      WHEN row.status = 'current' THEN null ELSE f.valid_to END,
    f.confidence = row.confidence, f.status = row.status, f.updated_at = datetime()
WITH collect(f) AS facts
MATCH (u:User {id: $user_id})
SET u.vector_version = coalesce(u.vector_version, 0) + 1
WITH u, facts
UNWIND facts AS f
MATCH (m:Memory {user_id: $user_id})-[:ASSERTS]->(f)
SET m.vector_version = u.vector_version
