// Keep refused messages in quarantine, idempotent on (user_id, external_id): a message refused twice is
// kept once, with its first verdict. Nothing here is a Memory: no index, search or context reads it.
// Params: $rows (list of {id, user_id, external_id, props}). Returns: external_id, id.
UNWIND $rows AS row
MERGE (q:Quarantined {user_id: row.user_id, external_id: row.external_id})
  ON CREATE SET q += row.props, q.id = row.id
RETURN row.external_id AS external_id, q.id AS id
