// The user's conversations that best match the query's words (Lucene over conversations as documents,
// tenant-scoped). Params: $lucene, $user_id, $sessions. Returns: conversation_id, score.
CALL db.index.fulltext.queryNodes('conversation_text_en', $lucene, {limit: $sessions}) YIELD node, score
WITH node AS c, score WHERE c.user_id = $user_id
RETURN c.id AS conversation_id, score
