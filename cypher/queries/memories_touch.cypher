// Record that memories were returned by retrieval, batched: each row says how often a memory was returned
// since the last batch and when last. Params: $rows (list of {user_id, id, count, at}).
UNWIND $rows AS row
MATCH (m:Memory {id: row.id, user_id: row.user_id})
SET m.last_accessed_at = row.at, m.access_count = coalesce(m.access_count, 0) + row.count
