// A memory's text corrected by a person: the old text is kept on the memory as history (`revisions`,
// with when each stopped being its text, `revised_at`), the new one takes its place with what the write
// path made of it; its mentions are dropped (`memory_mentions` writes the new ones; an entity nothing else
// touches goes), and so are its assertions of facts the new text does not state again: those facts are
// returned, with whether another memory still asserts them. Its place in the timeline, its id and its
// message id stay. The user's vector_version moves on and stamps the memory (in-process memory caches
// reload it) and its conversation's document is made again.
// Params: $user_id, $memory_id, $props (the analysed text's memory properties), $stated (the facts the
// new text states, as [subject_key, predicate, value_key]), $at. Returns: dropped (the facts no longer
// asserted: {id, subject_key, predicate, value, confidence, status, others}), kept ([subject_key,
// predicate, value_key] of the facts still asserted); no row when there is no such memory or its text
// was forgotten.
MATCH (m:Memory {id: $memory_id, user_id: $user_id})
WHERE m.content IS NOT NULL AND coalesce(m.tier, 'hot') <> 'forgotten'
MATCH (u:User {id: $user_id})
SET m.revisions = coalesce(m.revisions, []) + [m.content],
    m.revised_at = coalesce(m.revised_at, []) + [$at]
SET m += $props
SET u.vector_version = coalesce(u.vector_version, 0) + 1
SET m.vector_version = u.vector_version
WITH m
CALL (m) {
  MATCH (c:Conversation {user_id: m.user_id, id: m.conversation_id})
  SET c.doc_stale = true
}
CALL (m) {
  MATCH (m)-[r:MENTIONS]->(e:Entity)
  DELETE r
  WITH DISTINCT e
  WHERE NOT EXISTS { (e)--() }
  DELETE e
}
CALL (m) {
  OPTIONAL MATCH (m)-[a:ASSERTS]->(f:Fact)
  WHERE NOT [f.subject_key, f.predicate, f.value_key] IN $stated
  WITH a, f, COUNT { (f)<-[:ASSERTS]-(other:Memory) WHERE other <> m } AS others
  DELETE a
  RETURN collect(f {.id, .subject_key, .predicate, .value, .confidence, .status, others: others}) AS dropped
}
RETURN dropped, [(m)-[:ASSERTS]->(f:Fact) | [f.subject_key, f.predicate, f.value_key]] AS kept
