// Store new decay scores of memories whose tier stays (no search sees a score, so no cache stamp).
// Params: $rows (list of {ref, score}), $as_of.
UNWIND $rows AS row
MATCH (m:Memory) WHERE elementId(m) = row.ref
SET m.decay_score = row.score, m.decayed_at = $as_of
