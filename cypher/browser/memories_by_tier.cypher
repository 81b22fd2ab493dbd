// Neo4j Browser: a user's memories by month they happened and tier (hot, cold, forgotten), with when the
// decay pass last moved one of them: how forgetting has shaped the timeline.
// :param user_id => 'alice'
// Params: $user_id.
MATCH (m:Memory {user_id: $user_id})
WITH m.occurred_at.year AS year, m.occurred_at.month AS month, coalesce(m.tier, 'hot') AS tier,
     count(*) AS memories, max(m.decayed_at) AS last_moved
RETURN year, month, tier, memories, last_moved
ORDER BY year, month, tier
