// When keys were last used, written in batches off the request path. Params: $rows (list of {id, at}).
// Returns: nothing.
UNWIND $rows AS row
MATCH (k:ApiKey {id: row.id})
SET k.last_used_at = CASE WHEN k.last_used_at IS NULL OR k.last_used_at < row.at THEN row.at
                          ELSE k.last_used_at END
