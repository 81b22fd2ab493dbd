// Create facts with their subject (and object) entities. Params: $rows (list of {id, user_id, tenant
// (the owner token), tenant_id, subject_key, object_key, predicate, value, value_key, confidence,
// status, modality, source_role, valid_from}).
UNWIND $rows AS row
MERGE (s:Entity {user_id: row.user_id, key: row.subject_key})
  ON CREATE SET s.id = randomUUID(), s.tenant = row.tenant, s.tenant_id = row.tenant_id,
                s.name = CASE row.subject_key WHEN 'self' THEN 'the user' ELSE row.subject_key END,
                s.type = CASE row.subject_key WHEN 'self' THEN 'USER' ELSE 'THING' END,
                s.aliases = [], s.created_at = row.valid_from
CREATE (f:Fact {id: row.id, user_id: row.user_id, tenant_id: row.tenant_id, subject_key: row.subject_key,
                predicate: row.predicate, value: row.value, value_key: row.value_key, confidence: row.confidence,
                status: row.status, modality: row.modality, source_role: row.source_role, valid_from: row.valid_from,
                created_at: datetime()})
CREATE (f)-[:SUBJECT]->(s)
WITH row, f
CALL (row, f) {
  MATCH (o:Entity {user_id: row.user_id, key: row.object_key})
  CREATE (f)-[:OBJECT]->(o)
}
