// Every node a user or companion owns names its tenant (`tenant_id`, as API keys do), so that analysts
// select a tenant's part of the graph by one indexed property. Nodes written before get theirs from
// their owner key here, by the rule of `app.tenancy.tenant_of`: the part before a '/', else 'default'.
MATCH (n:User) WHERE n.tenant_id IS NULL
CALL (n) { SET n.tenant_id = CASE WHEN n.id CONTAINS '/' THEN split(n.id, '/')[0] ELSE 'default' END }
  IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Companion) WHERE n.tenant_id IS NULL
CALL (n) { SET n.tenant_id = CASE WHEN n.id CONTAINS '/' THEN split(n.id, '/')[0] ELSE 'default' END }
  IN TRANSACTIONS OF 10000 ROWS;
MATCH (n) WHERE (n:Memory OR n:Entity OR n:Fact OR n:Conversation OR n:Quarantined) AND n.tenant_id IS NULL
CALL (n) {
  SET n.tenant_id = CASE WHEN n.user_id CONTAINS '/' THEN split(n.user_id, '/')[0] ELSE 'default' END
} IN TRANSACTIONS OF 10000 ROWS;
CREATE INDEX user_tenant IF NOT EXISTS FOR (u:User) ON (u.tenant_id);
