// Record that memories were returned by retrieval. Params: $user_id, $ids, $at.
UNWIND $ids AS memory_id
MATCH (m:Memory {id: memory_id, user_id: $user_id})
SET m.last_accessed_at = $at, m.access_count = coalesce(m.access_count, 0) + 1
