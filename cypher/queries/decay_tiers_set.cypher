// Move memories between tiers: each user's vector_version moves on once and stamps the moved memories,
// so in-process memory caches load their new tier (the cache's contract). A memory moved to 'forgotten'
// keeps its content for the grace period (`decay_purge` deletes it after) but leaves every search, and
// its conversation's document is rebuilt without it.
// Params: $users (list of {user_id, rows: [{ref, tier, kind}]}), $as_of.
UNWIND $users AS moved
MATCH (u:User {id: moved.user_id})
SET u.vector_version = coalesce(u.vector_version, 0) + 1
WITH u, moved
UNWIND moved.rows AS row
MATCH (m:Memory) WHERE elementId(m) = row.ref
SET m.tier = row.tier, m.decay_kind = row.kind, m.decayed_at = $as_of,
    m.vector_version = u.vector_version
WITH m, row WHERE row.tier = 'forgotten'
SET m.forgotten_at = $as_of
WITH m
MATCH (c:Conversation {user_id: m.user_id, id: m.conversation_id})
SET c.doc_stale = true
