// Everything the graph holds about one user, for an export: the user, its memories in timeline order
// (without vectors), its entities, and its facts with what superseded what. Params: $user_id.
// Returns: user, memories, entities, facts.
OPTIONAL MATCH (u:User {id: $user_id})
CALL () {
  MATCH (m:Memory {user_id: $user_id})
  WITH m ORDER BY m.occurred_at, m.seq
  RETURN collect(m {.*, embedding: null, sentence_embeddings: null, sentence_vectors: null}) AS memories
}
CALL () {
  MATCH (e:Entity {user_id: $user_id})
  RETURN collect(e {.id, .name, .key, .type, .aliases}) AS entities
}
CALL () {
  MATCH (f:Fact {user_id: $user_id})
  OPTIONAL MATCH (f)-[s:SUPERSEDES]->(old:Fact {user_id: $user_id})
  WITH f, collect(old {.id, at: s.at, reason: s.reason, old_confidence_before: s.old_confidence_before,
                       old_confidence_after: s.old_confidence_after}) AS supersedes
  ORDER BY f.valid_from
  RETURN collect(f {.id, .subject_key, .predicate, .value, .confidence, .status, .modality, .source_role,
                    .valid_from, .valid_to, supersedes: supersedes}) AS facts
}
RETURN u {.id, .display_name, .metadata_json, .created_at, .memory_count} AS user, memories, entities, facts
