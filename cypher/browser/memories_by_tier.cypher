// Neo4j Browser: a user's memories by month they happened and tier (hot, cold, forgotten), with the mean
// decay score and when the last pass scored them: how forgetting has shaped the timeline.
// :param user_id => 'alice'
// Params: $user_id.
MATCH (m:Memory {user_id: $user_id})
WITH m.occurred_at.year AS year, m.occurred_at.month AS month, coalesce(m.tier, 'hot') AS tier,
     count(*) AS memories, avg(m.decay_score) AS mean_score, max(m.decayed_at) AS last_scored
RETURN year, month, tier, memories, round(mean_score, 3) AS mean_score, last_scored
ORDER BY year, month, tier
