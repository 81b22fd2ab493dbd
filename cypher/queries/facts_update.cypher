// Update confidence and status of existing facts; a fact leaving `current` gets its validity closed.
// Params: $user_id, $rows (list of {id, confidence, status}), $at.
UNWIND $rows AS row
MATCH (f:Fact {id: row.id, user_id: $user_id})
SET f.valid_to = CASE WHEN f.status = 'current' AND row.status <> 'current' THEN $at
                      WHEN row.status = 'current' THEN null ELSE f.valid_to END,
    f.confidence = row.confidence, f.status = row.status, f.updated_at = datetime()
