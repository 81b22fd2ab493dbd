// Uniqueness of every id, and of the client's message id within a user (idempotent ingestion).
CREATE CONSTRAINT user_id_unique IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT companion_id_unique IF NOT EXISTS FOR (c:Companion) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT memory_id_unique IF NOT EXISTS FOR (m:Memory) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT memory_external_id_unique IF NOT EXISTS
  FOR (m:Memory) REQUIRE (m.user_id, m.external_id) IS UNIQUE;
CREATE CONSTRAINT entity_id_unique IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT entity_key_unique IF NOT EXISTS FOR (e:Entity) REQUIRE (e.user_id, e.key) IS UNIQUE;
CREATE CONSTRAINT fact_id_unique IF NOT EXISTS FOR (f:Fact) REQUIRE f.id IS UNIQUE;
CREATE CONSTRAINT conversation_id_unique IF NOT EXISTS
  FOR (c:Conversation) REQUIRE (c.user_id, c.id) IS UNIQUE;
CREATE CONSTRAINT schema_migration_version_unique IF NOT EXISTS
  FOR (s:SchemaMigration) REQUIRE s.version IS UNIQUE;
